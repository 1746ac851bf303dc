// Reply preview formset: add a blank commitment, copy one (to split a clause in two), grey out removed ones,
// show each proposed commitment as a ticked "采纳" box (unticking it ticks the form's hidden DELETE), and add a
// candidate to the formset with one click (its values travel in the checkbox's data-values JSON).
(function () {
  var box = document.getElementById("cforms");
  var total = document.getElementById("id_c-TOTAL_FORMS");
  var tpl = document.getElementById("empty-form");
  if (!box || !total || !tpl) return;

  function append(values) {
    var index = parseInt(total.value, 10);
    var html = tpl.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var node = holder.firstChild;
    box.appendChild(node);
    total.value = String(index + 1);
    if (values) {
      Object.keys(values).forEach(function (name) {
        var field = node.querySelector('[name="c-' + index + "-" + name + '"]');
        if (field) field.value = values[name];
      });
    }
    var first = node.querySelector("textarea");
    if (first) first.focus();
    return node;
  }

  document.getElementById("add-form").addEventListener("click", function () { append(null); });

  box.addEventListener("click", function (event) {
    if (!event.target.classList.contains("js-copy")) return;
    var row = event.target.closest(".cform");
    var values = {};
    row.querySelectorAll("input, select, textarea").forEach(function (field) {
      var match = /^c-\d+-(.+)$/.exec(field.name || "");
      if (match && match[1] !== "DELETE" && match[1] !== "start" && match[1] !== "end") values[match[1]] = field.value;
    });
    append(values);
  });

  box.addEventListener("change", function (event) {
    if (/-DELETE$/.test(event.target.name || "")) {
      event.target.closest(".cform").classList.toggle("removed", event.target.checked);
    }
  });

  // Commitments are ticked (kept); the DELETE box stays in the form, hidden, as the inverse of "采纳".
  function keepBox(row) {
    var label = row.querySelector("label.js-delete");
    var del = label && label.querySelector('input[type="checkbox"]');
    if (!del || row.querySelector(".js-keep")) return;
    var keep = document.createElement("label");
    keep.className = "keep";
    var tick = document.createElement("input");
    tick.type = "checkbox";
    tick.className = "js-keep";
    tick.checked = !del.checked;
    keep.appendChild(tick);
    keep.appendChild(document.createTextNode(" " + (box.getAttribute("data-keep-label") || "✓")));
    label.style.display = "none";
    label.parentNode.insertBefore(keep, label);
    tick.addEventListener("change", function () {
      del.checked = !tick.checked;
      row.classList.toggle("removed", del.checked);
    });
    row.classList.toggle("removed", del.checked);
  }
  box.querySelectorAll(".cform").forEach(keepBox);

  var cands = document.getElementById("candidates");
  if (cands) {
    cands.addEventListener("change", function (event) {
      var tick = event.target;
      if (!tick.classList.contains("js-add-candidate") || !tick.checked) return;
      var card = tick.closest(".cand");
      var node = append(JSON.parse(tick.getAttribute("data-values")));
      node.classList.add("from-candidate");
      var why = card.querySelector(".why");
      var title = node.querySelector("h4");
      if (why && title) title.insertAdjacentElement("afterend", why.cloneNode(true));
      keepBox(node);
      card.parentNode.removeChild(card);
      node.scrollIntoView({ block: "nearest" });
    });
  }
})();
