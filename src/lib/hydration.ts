/**
 * `<html data-hydrated>` is set once the first page has hydrated (root +layout.svelte). Until then
 * the page is server-rendered HTML whose inputs a person may already have used: end-to-end tests
 * wait for the marker before anything that needs scripts, and pages read what was chosen before it.
 */
export function markHydrated() {
  document.documentElement.dataset.hydrated = '';
}

/** True in the browser while the first page is being hydrated (not on later client navigations). */
export function hydrating(): boolean {
  return typeof document !== 'undefined' && !('hydrated' in document.documentElement.dataset);
}
