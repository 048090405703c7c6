// Small enhancements on top of pages that already work without JavaScript.
// Check lists: a filter field narrows long lists of checkboxes as one types.
document.addEventListener('DOMContentLoaded', () => {
  for (const box of document.querySelectorAll('[data-check-filter]')) {
    const list = box.parentElement.querySelector('.check-list__options');
    const input = box.querySelector('input');
    if (!list || !input) continue;
    box.hidden = false;
    input.addEventListener('input', () => {
      const q = input.value.trim().toLocaleLowerCase(document.documentElement.lang);
      for (const li of list.children) {
        const text = li.textContent.toLocaleLowerCase(document.documentElement.lang);
        const checked = li.querySelector('input')?.checked;
        li.hidden = q !== '' && !checked && !text.includes(q);
      }
    });
  }
});
