// Reply preview formset: add a blank commitment, copy one (to split a clause in two), grey out removed ones.
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
})();
