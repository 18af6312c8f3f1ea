// Progressive enhancement only: every feature works without this file.
// On the search page, ticking a filter applies it at once (the "Apply filters" button stays for keyboard
// users), and empty fields are left out of the address so shared links stay short.
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  if (!form) { return; }
  form.addEventListener("submit", function () {
    var fields = form.querySelectorAll("input[type=text], input[type=search]");
    for (var i = 0; i < fields.length; i++) {
      if (!fields[i].value.trim()) { fields[i].disabled = true; }
    }
  });
  form.addEventListener("change", function (event) {
    var target = event.target;
    if (target.type === "checkbox" && target.form === form) {  // not the results' selection boxes
      if (typeof form.requestSubmit === "function") { form.requestSubmit(); } else { form.submit(); }
    }
  });
})();
