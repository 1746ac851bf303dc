"""Traditional-script pages: read them through a simplified copy of the same length, report them as written.

Contract: ``to_simplified(text) -> str`` maps traditional characters one for one (so every offset stays
valid), and returns ``text`` itself when it holds fewer than ``MIN_TRADITIONAL`` traditional characters
(a simplified letter that quotes a name like 於 is left alone). ``as_written(value, work, original)``
returns the substring of ``original`` at the place ``value`` occupies in ``work`` (the value itself when
it is not a substring, e.g. a normalised unit).

Mirror sites republish mainland pages converted to traditional script (將, 年內, 億元, 屆人大): the
stages' patterns are written for simplified Chinese, so they read the simplified copy, and quotes and
metadata are then taken from the text as the page wrote it.
"""

from __future__ import annotations

import re
from itertools import islice

MIN_TRADITIONAL = 8

# Traditional → simplified, one character for one: the characters of government letters and reports
# (markers, time words, units, administrative terms, common verbs), not a full dictionary.
_PAIRS = """
將将 確确 爭争 劃划 預预 計计 內内 億亿 萬万 個个 兩两 進进 實实 現现 國国 會会 屆届 議议 關关 於于 區区 縣县
設设 項项 達达 們们 級级 務务 對对 開开 動动 產产 業业 發发 為为 並并 這这 後后 時时 農农 環环 點点 學学 園园
雙双 傳传 節节 體体 與与 來来 條条 應应 當当 報报 經经 濟济 資资 費费 類类 號号 貨货 車车 輛辆 電电 話话 聯联
繫系 處处 機机 構构 織织 題题 辦办 廳厅 廣广 書书 長长 門门 問问 間间 東东 線线 網网 鄉乡 鎮镇 衛卫 醫医 療疗
藥药 價价 錢钱 銀银 認认 識识 讓让 請请 說说 論论 證证 據据 規规 範范 標标 準准 質质 總总 結结 統统 籌筹 續续
維维 護护 養养 災灾 險险 隊队 陽阳 陰阴 雲云 氣气 風风 熱热 溫温 濕湿 減减 觀观 覽览 視视 頻频 聽听 聲声 鐘钟
鐵铁 鋼钢 礦矿 橋桥 樓楼 場场 壩坝 溝沟 灣湾 漁渔 鹽盐 畝亩 廠厂 庫库 際际 隨随 陸陆 運运 輸输 邊边 遠远 選选
過过 還还 連连 週周 適适 遷迁 遺遗 鄰邻 幫帮 帶带 師师 幹干 廢废 張张 強强 從从 徑径 徵征 復复 態态 懷怀 戰战
戶户 擔担 擴扩 擇择 擬拟 擁拥 數数 斷断 樣样 樹树 權权 歡欢 歲岁 歷历 漢汉 潔洁 燈灯 營营 獎奖 畫画 異异 盡尽
監监 盤盘 碼码 礎础 禮礼 種种 稱称 穩稳 築筑 簡简 糧粮 紀纪 約约 紅红 納纳 紙纸 細细 組组 綠绿 緊紧 編编 練练
績绩 繼继 罰罚 職职 腦脑 臨临 興兴 舉举 艱艰 莊庄 華华 葉叶 蓋盖 蘭兰 補补 製制 複复 親亲 覺觉 訂订 記记 許许
訪访 評评 詢询 試试 詳详 誤误 調调 談谈 諮咨 講讲 謀谋 讀读 變变 財财 責责 購购 賬账 賽赛 贊赞 趕赶 趨趋 軍军
載载 輕轻 輔辅 迴回 遞递 釋释 鋪铺 錯错 鍵键 閉闭 閒闲 陳陈 陣阵 階阶 隻只 難难 雜杂 離离 響响 頁页 頂顶 順顺
須须 領领 頭头 額额 顯显 飛飞 飲饮 館馆 驗验 鬥斗 魚鱼 鳥鸟 麗丽 麥麦 黃黄 黨党 齊齐 龍龙 壯壮 團团 圍围 圖图
圓圆 塊块 堅坚 墾垦 壓压 壞坏 夠够 夢梦 奮奋 婦妇 嬰婴 寧宁 寫写 寬宽 專专 導导 尋寻 屬属 層层 嶺岭 島岛 峽峡
幣币 彎弯 彙汇 徹彻 惡恶 愛爱 慣惯 慮虑 憑凭 懸悬 戲戏 擺摆 擾扰 攜携 敗败 暫暂 曆历 曉晓 極极 樁桩 檔档 檢检
櫃柜 殼壳 毀毁 決决 沒没 淨净 淺浅 測测 湧涌 滅灭 滿满 潛潜 濃浓 濱滨 灑洒 灘滩 爐炉 牆墙 狀状 獨独 獲获 畢毕
疊叠 盜盗 礙碍 禍祸 穀谷 競竞 筆笔 簽签 糾纠 純纯 紛纷 紹绍 終终 絕绝 絡络 給给 絲丝 綜综 綱纲 緒绪 緣缘 縮缩
繁繁 繳缴 罷罢 義义 習习 聖圣 聞闻 肅肃 腳脚 臺台 蘇苏 虧亏 衝冲 裝装 見见 訊讯 託托 訓训 診诊 詞词 該该 誌志
語语 課课 誰谁 諾诺 謝谢 謹谨 譯译 豐丰 負负 貧贫 販贩 貫贯 貴贵 貸贷 貿贸 賀贺 賓宾 賠赔 賣卖 賦赋 賴赖 贏赢
跡迹 踐践 軌轨 軟软 較较 輯辑 輝辉 轄辖 轉转 辭辞 郵邮 鄭郑 針针 銷销 錄录 鎖锁 鏡镜 閃闪 閣阁 閱阅 闊阔 陝陕
隱隐 雖虽 靈灵 靜静 韓韩 頒颁 頓顿 顆颗 顧顾 飯饭 餘余 馬马 駐驻 駕驾 騰腾 驅驱 驚惊 魯鲁 鮮鲜 鳳凤 麼么 齡龄
劉刘 盧卢 嚴严 勵励 勞劳 勢势 勝胜 協协 卻却 參参 叢丛 吳吴 員员 啟启 單单 囑嘱 執执 塵尘 壇坛 奪夺 奧奥 孫孙
寶宝 幾几 廁厕 廈厦 憂忧 憶忆 懇恳 挾挟 捨舍 掛挂 採采 揚扬 換换 損损 搖摇 搶抢 撥拨 撫抚 擋挡 擠挤 攤摊 敘叙
晉晋 暢畅 術术 棄弃 棟栋 榮荣 樂乐 樞枢 橫横 欄栏 歐欧 況况 淚泪 湯汤 滯滞 漲涨 漸渐 潤润 濾滤 爾尔 牽牵 獻献
瑣琐 疇畴 瘡疮 盞盏 眾众 矯矫 磚砖 祿禄 稅税 節节 篤笃 籠笼 籤签 粵粤 紋纹 綁绑 綿绵 緩缓 縫缝 縱纵 繩绳 繪绘
纏缠 羅罗 聰聪 脅胁 脈脉 脫脱 腸肠 膠胶 臉脸 臟脏 艙舱 薦荐 藍蓝 藝艺 蘆芦 虛虚 蝕蚀 襯衬 觸触 訴诉 誘诱 謊谎
譜谱 譽誉 讚赞 賄贿 賺赚 贈赠 踴踊 蹤踪 躍跃 輪轮 輿舆 遙遥 遜逊 鄧邓 鈴铃 鉛铅 銅铜 鋁铝 錦锦 鍊炼 鑄铸 閘闸
閩闽 陰阴 隴陇 霧雾 韻韵 頸颈 顫颤 颱台 饑饥 騎骑 鬆松 鯨鲸 鹹咸 麵面 齒齿 龐庞 贛赣 瓊琼 遼辽 滬沪 劃划 鄉乡
"""
_T, _S = zip(*(p for p in _PAIRS.split() if len(p) == 2 and p[0] != p[1]), strict=True)
_TABLE = str.maketrans("".join(_T), "".join(_S))
_TRADITIONAL_RE = re.compile("[" + "".join(sorted(set(_T))) + "]")


def to_simplified(text: str) -> str:
    """See module docstring."""
    found = _TRADITIONAL_RE.finditer(text)
    if next(islice(found, MIN_TRADITIONAL - 1, None), None) is None:
        return text  # fewer than MIN_TRADITIONAL: scanned in C, stops at the 8th
    return text.translate(_TABLE)


def as_written(value, work: str, original: str):
    """See module docstring. Strings and tuples of strings are mapped; anything else is returned as is."""
    if isinstance(value, tuple):
        return tuple(as_written(v, work, original) for v in value)
    if not isinstance(value, str) or not value:
        return value
    i = work.find(value)
    return original[i : i + len(value)] if i >= 0 else value


# The same one-for-one table for callers that convert every traditional character (the search index and its
# queries), not only pages written mostly in traditional script: offsets stay valid either way.
TRADITIONAL_TO_SIMPLIFIED = _TABLE
