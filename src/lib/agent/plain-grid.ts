/** Roles and attributes of @event-calendar/core's table semantics. */
const TABLE_ROLES = new Set(['table', 'rowgroup', 'row', 'columnheader', 'rowheader', 'cell', 'gridcell']);
const TABLE_ATTRIBUTES = ['aria-colindex', 'aria-colspan', 'aria-rowindex'];

function demote(root: HTMLElement) {
  for (const el of root.querySelectorAll<HTMLElement>('[role]')) {
    if (TABLE_ROLES.has(el.getAttribute('role') ?? '')) el.removeAttribute('role');
  }
  for (const attribute of TABLE_ATTRIBUTES) {
    for (const el of root.querySelectorAll<HTMLElement>(`[${attribute}]`)) el.removeAttribute(attribute);
  }
}

/**
 * A Svelte attachment for the graphical agenda: the component marks its grid up as an ARIA
 * table whose toolbar and event buttons sit outside any row, which assistive technologies
 * cannot read (axe-core: aria-required-children). The grid becomes plain boxes with its rdvs as
 * buttons; the table a screen reader needs is the page's list of the day's rdvs. Re-applied
 * whenever the component redraws.
 */
export function plainGrid(node: HTMLElement): () => void {
  demote(node);
  const observer = new MutationObserver(() => demote(node));
  observer.observe(node, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['role', ...TABLE_ATTRIBUTES],
  });
  return () => observer.disconnect();
}
