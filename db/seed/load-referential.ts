import { createHash } from 'node:crypto';
import type { Db, Sql } from '../../server/infra/db.ts';
import { loadContactReasons } from '../../server/store/contact-reasons.ts';
import {
  lockSeed,
  type ReferentialCounts,
  recordChecksum,
  recordedChecksum,
  referentialCounts,
  replaceCommunes,
  replaceMotifs,
  replaceSectorisation,
  upsertServices,
} from '../../server/store/referential.ts';
import { flattenContactReasons } from './contact-reasons.ts';
import { buildReferential, referentialSource } from './referential.ts';

/**
 * Loads the national referential (communes, motifs, offices, sectorisation) and the contact
 * cascade, each unless the same version is already recorded, in one transaction. They have a
 * checksum each so that rewording a FAQ answer does not reload 35,000 communes (and so that adding
 * the cascade did not need a GENERATOR_VERSION bump). Upserts by stable keys (INSEE code, motif
 * code, code principal, reason code), so rdvs and configuration that point at existing rows
 * survive a reload; the sectorisation is replaced as a whole. Offices and motifs that left the
 * referential are kept (rdvs reference them); motifs are deactivated.
 */
export async function seedReferential(
  sql: Sql,
  log: (msg: string) => void = () => {},
): Promise<ReferentialCounts & { skipped: boolean }> {
  // The version is a hash of the referential's sources, not of the generated rows: checking it
  // must not cost the parsing of 35,000 communes.
  const checksum = createHash('sha256').update(referentialSource()).digest('hex');
  // Sixty rows: flattening them also validates them, so a bad edit fails at start-up, not in a page.
  const contactReasons = flattenContactReasons();
  const contactChecksum = createHash('sha256').update(JSON.stringify(contactReasons)).digest('hex');
  const upToDate = async (db: Db) => ({
    referential: (await recordedChecksum(db, 'referential')) === checksum,
    contact: (await recordedChecksum(db, 'contact-reasons')) === contactChecksum,
  });
  const before = await upToDate(sql);
  if (before.referential && before.contact) {
    return { ...(await referentialCounts(sql)), skipped: true };
  }
  const started = performance.now();
  const skipped = await sql.begin(async (tx) => {
    await lockSeed(tx);
    // Another node may have loaded it while this one waited for the lock.
    const current = await upToDate(tx);
    if (current.referential && current.contact) return true;
    if (!current.referential) await loadReferential(tx, checksum);
    // After the motifs: a reason points at the motif the wizard preselects.
    if (!current.contact) {
      await loadContactReasons(tx, contactReasons);
      await recordChecksum(tx, 'contact-reasons', contactChecksum);
    }
    return false;
  });
  const counts = await referentialCounts(sql);
  if (!skipped) {
    log(
      `Référentiel chargé en ${Math.round(performance.now() - started)} ms : ${counts.communes} communes, ` +
        `${counts.services} services, ${counts.motifs} motifs, ${counts.contactReasons} motifs de contact`,
    );
  }
  return { ...counts, skipped };
}

/** The referential proper, built only when it has to be loaded (parsing the communes costs). */
async function loadReferential(tx: Db, checksum: string): Promise<void> {
  const ref = buildReferential();
  await replaceCommunes(tx, ref.communes);
  await replaceMotifs(tx, ref.motifs);
  await upsertServices(tx, ref.services);
  // After the offices: a sectorisation row finds its office by code principal.
  await replaceSectorisation(tx, ref.sectorisation);
  await recordChecksum(tx, 'referential', checksum);
}
