// Typing in a filter box hides the medicines that do not match (the form works without it).
document.querySelectorAll("input.filter").forEach(function (box) {
  var select = document.getElementById(box.dataset.filters);
  if (!select) return;
  box.addEventListener("input", function () {
    var wanted = box.value.trim().toLowerCase();
    var first = null;
    Array.prototype.forEach.call(select.options, function (option) {
      var shown = option.text.toLowerCase().indexOf(wanted) !== -1;
      option.hidden = !shown;
      if (shown && first === null) first = option;
    });
    if (first && select.selectedOptions[0] && select.selectedOptions[0].hidden) first.selected = true;
  });
});
