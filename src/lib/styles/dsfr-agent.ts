/*
 * The DSFR parts only the agents' space uses, on top of dsfr.ts: imported by its layout, so the
 * public pages do not download them (Vite splits the CSS per route).
 */
import '@gouvfr/dsfr/dist/component/table/table.main.min.css';
import '@gouvfr/dsfr/dist/component/select/select.main.min.css';
import '@gouvfr/dsfr/dist/component/segmented/segmented.main.min.css';
import '@gouvfr/dsfr/dist/component/tag/tag.main.min.css';
import './icons-agent.css';
