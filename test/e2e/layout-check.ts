// The layout checks the e2e tests share (issue 14), measured in the page: no element sticks out of
// its parent sideways, no entry control collapsed, touch-sized buttons, no two controls overlap, no
// sideways page scroll. One measuring function; the till's and the generic check differ only in
// which elements they look at.
import type { Page } from 'playwright-core';

interface LayoutRules {
  /** The element whose descendants are checked. */
  root: string;
  /** Controls that must not overlap each other. */
  controls: string;
  /** Buttons that must be touch-sized (40 px or taller). */
  touch: string;
  /** Entry controls that must not collapse under 48 px wide (none: unchecked). */
  collapsed?: string;
  /** Children of a scroll box (`overflow-x: auto/scroll`) may be wider than it: it scrolls. */
  scrollBoxesScroll: boolean;
}

function problems(page: Page, rules: LayoutRules): Promise<string[]> {
  return page.evaluate((rules) => {
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.getAttribute('aria-label') ? `[${el.getAttribute('aria-label')}]` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ').join('.')}` : ''}`;
    const visible = (el: Element) => {
      const s = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      return s.display !== 'none' && s.visibility !== 'hidden' && r.width > 0 && r.height > 0;
    };
    const out: string[] = [];
    const top = document.querySelector(rules.root);
    if (!top) return [`no ${rules.root} on the page`];
    for (const el of Array.from(top.querySelectorAll('*'))) {
      if (!visible(el) || el instanceof SVGElement) continue;
      const parent = el.parentElement!;
      if (rules.scrollBoxesScroll && ['auto', 'scroll'].includes(getComputedStyle(parent).overflowX)) continue;
      const r = el.getBoundingClientRect();
      const pr = parent.getBoundingClientRect();
      if (r.left < pr.left - 1 || r.right > pr.right + 1)
        out.push(
          `${name(el)} [${Math.round(r.left)}–${Math.round(r.right)}] overflows ${name(parent)} [${Math.round(pr.left)}–${Math.round(pr.right)}]`,
        );
      if (rules.collapsed && el.matches(rules.collapsed) && r.width < 48) out.push(`${name(el)} collapsed to ${Math.round(r.width)} px`);
      if (el.matches(rules.touch) && r.height < 40) out.push(`${name(el)} is ${Math.round(r.height)} px tall (touch: 40+)`);
    }
    const controls = Array.from(top.querySelectorAll(rules.controls)).filter(visible);
    for (let i = 0; i < controls.length; i++)
      for (let j = i + 1; j < controls.length; j++) {
        const a = controls[i]!.getBoundingClientRect();
        const b = controls[j]!.getBoundingClientRect();
        if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
          out.push(`${name(controls[i]!)} overlaps ${name(controls[j]!)}`);
      }
    if (document.documentElement.scrollWidth > window.innerWidth + 1)
      out.push(`the page scrolls sideways (${document.documentElement.scrollWidth} px)`);
    return out;
  }, rules);
}

/** Layout problems inside the till (`.till`): its entry row and quick keys. */
export function layoutProblems(page: Page): Promise<string[]> {
  return problems(page, {
    root: '.till',
    controls: '.entry input, .entry select, .entry button',
    touch: '.entry button:not(.link), .quick-keys button',
    collapsed: '.entry input:not([type=checkbox]), .entry select',
    scrollBoxesScroll: false,
  });
}

/** Layout problems inside `root` (a CSS selector): any control or button in it. */
export function overflowProblems(page: Page, root: string): Promise<string[]> {
  return problems(page, { root, controls: 'input, select, button', touch: 'button:not(.link)', scrollBoxesScroll: true });
}
