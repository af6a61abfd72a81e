// trainclear pages: progressive enhancement only. Every page works without this file.
(function () {
  "use strict";

  // Ask before a form marked data-confirm (e.g. withdrawing an opt-out) is sent.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // Opt-out form: show only the field the chosen scope needs.
  function syncScope(form) {
    var checked = form.querySelector('input[name="scope"]:checked');
    var scope = checked ? checked.value : "";
    form.querySelectorAll("[data-scope]").forEach(function (field) {
      var wanted = field.getAttribute("data-scope").split(" ").indexOf(scope) >= 0;
      field.hidden = !wanted;
    });
  }
  document.querySelectorAll(".optout-form").forEach(function (form) {
    syncScope(form);
    form.addEventListener("change", function () { syncScope(form); });
  });

  // Objection form: choosing a work selects "only the works chosen".
  document.querySelectorAll(".object-form").forEach(function (form) {
    var chosen = form.querySelector("#choice-chosen");
    form.querySelectorAll('input[name="work_id"]').forEach(function (box) {
      box.addEventListener("change", function () {
        if (box.checked && chosen) { chosen.checked = true; }
      });
    });
  });

  // Move focus to a form's error summary so screen readers announce it.
  var summary = document.getElementById("form-error");
  if (summary) { summary.focus(); }
})();
