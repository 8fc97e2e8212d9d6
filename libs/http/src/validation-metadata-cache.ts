import { getMetadataStorage, MetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

type Grouped = Record<string, ValidationMetadata[]>;
type Storage = MetadataStorage & { [CACHED]?: true };

const CACHED = Symbol.for('helpdesk:validation-metadata-cache');

/**
 * class-validator looks a class's metadata up again on every `validate`: it filters the class's
 * list, walks every registered class for inherited entries, concatenates, then groups the result by
 * property — about a tenth of what a `POST /tickets` allocates, for an answer that cannot change
 * while no metadata is added. Metadata is added only while classes are defined (the decorators as a
 * module loads, mapped types), so the lookup and its grouping are kept per class (lookups without
 * groups, the only ones the ValidationPipe makes) and all forgotten whenever metadata is added.
 * The kept arrays and groupings are frozen: a caller that changed one would change every later
 * validation, so it throws instead. Idempotent: applied once per storage.
 */
export function cacheValidationMetadata(storage: MetadataStorage = getMetadataStorage()): void {
  const patched = storage as Storage;
  if (patched[CACHED]) return;
  patched[CACHED] = true;

  const lookup = storage.getTargetValidationMetadatas.bind(storage);
  const group = storage.groupByPropertyName.bind(storage);
  const add = storage.addValidationMetadata.bind(storage);
  let byOptions = new Map<string, Map<object, ValidationMetadata[]>>();
  let groupings = new WeakMap<ValidationMetadata[], Grouped>();

  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    if (groups && groups.length > 0) return lookup(target, schema, always, strictGroups, groups);
    const key = `${String(schema)}\u0000${always}\u0000${strictGroups}`;
    let byClass = byOptions.get(key);
    if (!byClass) byOptions.set(key, (byClass = new Map()));
    let metadata = byClass.get(target);
    if (!metadata) {
      metadata = Object.freeze(lookup(target, schema, always, strictGroups, groups)) as ValidationMetadata[];
      byClass.set(target, metadata);
    }
    return metadata;
  };
  storage.groupByPropertyName = (metadata) => {
    let grouped = groupings.get(metadata);
    if (!grouped) {
      grouped = group(metadata);
      // Only the kept lookups' groupings are kept: another array may change after this call.
      if (!Object.isFrozen(metadata)) return grouped;
      for (const list of Object.values(grouped)) Object.freeze(list);
      groupings.set(metadata, Object.freeze(grouped));
    }
    return grouped;
  };
  storage.addValidationMetadata = (metadata) => {
    byOptions = new Map();
    groupings = new WeakMap();
    add(metadata);
  };
}
