// The French strings of the ALTCHA widget register themselves; the module exports nothing.
declare module 'altcha/i18n/fr-fr';
