// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
  namespace App {
    interface Error {
      /** Short French title of what happened (the error page's heading). */
      message: string;
      /** What happened precisely, in French, when the page knows it. */
      detail?: string;
    }
  }
}

export {};
