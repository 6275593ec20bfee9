import type { EntityRef } from '../../language/ast.js';
import { findEntity, type CatalogEntity, type ConnectorCatalog } from '../catalog.js';
import { compilerCodes as codes } from '../codes.js';
import { didYouMean } from '../suggest.js';
import type { Reporter } from './reporter.js';

/** `connector.entity` in a flow header, `find` or `upsert`: the catalogue entity, or a diagnostic with a did-you-mean. */
export function resolveEntityRef(ref: EntityRef, catalog: ConnectorCatalog, reporter: Reporter): CatalogEntity | undefined {
  const connector = catalog[ref.connector.name];
  if (!connector) {
    const guess = didYouMean(ref.connector.name, Object.keys(catalog), ref.connector.range);
    reporter.error(codes.unknownEntity, ref.connector.range, { what: 'connector', name: ref.connector.name, suggestion: guess.suggestion }, guess.fixes);
    return undefined;
  }
  const entity = findEntity(catalog, ref.connector.name, ref.entity.name);
  if (!entity) {
    const guess = didYouMean(ref.entity.name, Object.keys(connector.entities), ref.entity.range);
    reporter.error(codes.unknownEntity, ref.entity.range, { what: `entity of ${ref.connector.name}`, name: ref.entity.name, suggestion: guess.suggestion }, guess.fixes);
  }
  return entity;
}
