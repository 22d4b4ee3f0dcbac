// The audit form's provisional outcome, computed as the inspector types (the registry
// computes it again when the audit is saved, and its answer is the one that counts).
// Progressive enhancement: without this script the form works the same, minus the hints.
// The offline outbox (offline.js) may put the registry's answer in place of the form (a
// refusal, with its errors beside the fields): "khatem:form-replaced" sets the new one up.
(function () {
  "use strict";
  var compare = {
    ge: function (a, b) { return a >= b; },
    gt: function (a, b) { return a > b; },
    le: function (a, b) { return a <= b; },
    lt: function (a, b) { return a < b; }
  };
  function number(text) {
    var cleaned = text.replace(/[\s\u00a0\u202f]/g, "").replace(",", ".");
    if (cleaned === "" || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(cleaned)) { return null; }
    return parseFloat(cleaned);
  }
  function verdict(row) {
    if (row.dataset.kind === "measured") {
      var input = row.querySelector("input[type=text]");
      var value = input ? number(input.value) : null;
      var check = compare[row.dataset.comparison];
      if (value === null || !check) { return null; }
      return check(value, parseFloat(row.dataset.threshold));
    }
    var chosen = row.querySelector("input[type=radio]:checked");
    return chosen ? chosen.value === "yes" : null;
  }
  function setUp() {
    var form = document.getElementById("audit-form");
    if (!form) { return; }
    var words = { pass: form.dataset.pass, fail: form.dataset.fail, pending: form.dataset.pending };
    function show(output, state) {
      output.textContent = words[state];
      output.className = "badge " + state;
    }
    function update() {
      var rows = form.querySelectorAll("[data-criterion]");
      var all = true, failed = false;
      for (var i = 0; i < rows.length; i++) {
        var result = verdict(rows[i]);
        var output = rows[i].querySelector("output");
        if (result === null) { all = false; show(output, "pending"); }
        else { show(output, result ? "pass" : "fail"); failed = failed || !result; }
      }
      show(document.getElementById("overall"), failed ? "fail" : (all ? "pass" : "pending"));
    }
    var hidden = form.querySelectorAll(".live, #live-outcome");
    for (var j = 0; j < hidden.length; j++) { hidden[j].hidden = false; }
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    update();
  }
  document.addEventListener("khatem:form-replaced", setUp);
  setUp();
})();
