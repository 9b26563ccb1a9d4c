"use strict";
// Select2, which draws the admin's autocomplete fields, leaves its boxes without an accessible
// name and puts its "clear" control inside its list of chosen values. Whenever it draws them,
// name each box after its field's label and move the control out of the list.
{
  const fieldName = (select) => {
    const label = select.id && document.querySelector(`label[for="${CSS.escape(select.id)}"]`);
    return (label ? label.textContent : select.name).replace(/:\s*$/, "").trim();
  };

  const mend = (container) => {
    const select = container.previousElementSibling;
    if (!select || select.tagName !== "SELECT") return;
    const name = fieldName(select);
    const boxes = '[role="combobox"], [role="textbox"], .select2-search__field';
    for (const box of container.querySelectorAll(boxes)) {
      box.removeAttribute("aria-labelledby");
      if (box.getAttribute("aria-label") !== name) box.setAttribute("aria-label", name);
    }
    for (const clear of container.querySelectorAll("ul > .select2-selection__clear")) {
      clear.parentElement.before(clear);
    }
  };

  const mendAll = () => document.querySelectorAll("span.select2-container").forEach(mend);
  document.addEventListener("DOMContentLoaded", () => {
    mendAll();
    new MutationObserver(mendAll).observe(document.body, { childList: true, subtree: true });
  });
}
