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

// Enhancements that weigh more than the page (the live charts and their library) come only when a
// reader reaches for them: an element with data-enhance="<script path>" loads that script on its
// first pointer, touch or keyboard focus, once per page. Loading them with the page made its first
// layout wait for one more request on a slow network, for something most readers never touch.
const enhanced = new Set();
for (const el of document.querySelectorAll('[data-enhance]')) {
  const load = () => {
    const src = el.getAttribute('data-enhance');
    // Only the app's own asset scripts: the attribute is never a way to load anything else.
    if (!src || !/^\/[a-z-]+\/assets\/[\w.-]+\.js$/.test(src) || enhanced.has(src)) return;
    enhanced.add(src);
    const script = document.createElement('script');
    script.src = src;
    document.head.append(script);
  };
  for (const ev of ['pointerover', 'touchstart', 'focusin']) el.addEventListener(ev, load, { once: true, passive: true });
}
