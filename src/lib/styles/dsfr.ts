/*
 * The parts of the DSFR (@gouvfr/dsfr) this product uses, self-hosted: Vite bundles the CSS and
 * emits the Marianne fonts it references. Importing component by component instead of
 * dist/dsfr.min.css keeps the page light (~35 kB of CSS over the wire instead of ~90 kB);
 * add a component here when a page starts using it. Only the "main" builds: the "legacy" ones
 * target browsers without CSS custom properties.
 */
import '@gouvfr/dsfr/dist/core/core.main.min.css';
import '@gouvfr/dsfr/dist/component/link/link.main.min.css';
import '@gouvfr/dsfr/dist/component/button/button.main.min.css';
import '@gouvfr/dsfr/dist/component/skiplink/skiplink.main.min.css';
import '@gouvfr/dsfr/dist/component/logo/logo.main.min.css';
import '@gouvfr/dsfr/dist/component/header/header.main.min.css';
import '@gouvfr/dsfr/dist/component/footer/footer.main.min.css';
import '@gouvfr/dsfr/dist/component/callout/callout.main.min.css';
import '@gouvfr/dsfr/dist/component/notice/notice.main.min.css';
import '@gouvfr/dsfr/dist/component/alert/alert.main.min.css';
import '@gouvfr/dsfr/dist/component/tile/tile.main.min.css';
import '@gouvfr/dsfr/dist/component/badge/badge.main.min.css';
import '@gouvfr/dsfr/dist/component/form/form.main.min.css';
import '@gouvfr/dsfr/dist/component/input/input.main.min.css';
import '@gouvfr/dsfr/dist/component/radio/radio.main.min.css';
import '@gouvfr/dsfr/dist/component/checkbox/checkbox.main.min.css';
import '@gouvfr/dsfr/dist/component/stepper/stepper.main.min.css';
import './icons.css';
