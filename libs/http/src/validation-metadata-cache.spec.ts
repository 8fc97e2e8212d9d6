import { getMetadataStorage, IsInt, IsOptional, IsString, MetadataStorage, validate } from 'class-validator';
import { cacheValidationMetadata } from './validation-metadata-cache';

class BaseDto {
  @IsString()
  name: string;
}

class ChildDto extends BaseDto {
  @IsOptional()
  @IsInt()
  count?: number;
}

const storage = getMetadataStorage();
const lookup = (target: new () => object) => storage.getTargetValidationMetadatas(target, undefined as unknown as string, false, false);
const describeAll = (list: ReadonlyArray<{ propertyName: string; name?: string; type: string }>) => list.map((m) => `${m.propertyName}:${m.name ?? m.type}`).sort();

describe('cacheValidationMetadata', () => {
  // What class-validator answers without the cache, for comparison.
  const uncached = describeAll(lookup(ChildDto));
  beforeAll(() => cacheValidationMetadata(storage));

  it('answers what class-validator answers, inherited metadata included, and the same array every time', () => {
    const first = lookup(ChildDto);
    expect(describeAll(first)).toEqual(uncached);
    expect(describeAll(first)).toEqual(expect.arrayContaining(['name:isString', 'count:isInt']));
    expect(lookup(ChildDto)).toBe(first);
    expect(storage.groupByPropertyName(first)).toBe(storage.groupByPropertyName(first));
    expect(Object.keys(storage.groupByPropertyName(first)).sort()).toEqual(['count', 'name']);
  });

  it('refuses changes to what it keeps', () => {
    const kept = lookup(ChildDto);
    expect(() => (kept as unknown[]).push({})).toThrow(TypeError);
    expect(() => storage.groupByPropertyName(kept).name.push(kept[0])).toThrow(TypeError);
  });

  it('forgets everything when metadata is added (a decorator applied later, a mapped type)', async () => {
    const before = lookup(ChildDto);
    IsString()(BaseDto.prototype, 'nickname');
    const after = lookup(ChildDto);
    expect(after).not.toBe(before);
    expect(describeAll(after)).toContain('nickname:isString');
    expect(await validate(Object.assign(new ChildDto(), { name: 'a', nickname: 7 }))).toEqual([
      expect.objectContaining({ property: 'nickname', constraints: { isString: 'nickname must be a string' } }),
    ]);
  });

  it('does not keep a grouping of an array it did not make, nor lookups with groups', () => {
    const loose = [...lookup(ChildDto)];
    expect(storage.groupByPropertyName(loose)).not.toBe(storage.groupByPropertyName(loose));
    const grouped = storage.getTargetValidationMetadatas(ChildDto, undefined as unknown as string, false, false, ['admin']);
    expect(storage.getTargetValidationMetadatas(ChildDto, undefined as unknown as string, false, false, ['admin'])).not.toBe(grouped);
  });

  it('validates as before: a wrong value still fails, a right one passes', async () => {
    expect(await validate(Object.assign(new ChildDto(), { name: 'x', nickname: 'y', count: 'many' }))).toEqual([
      expect.objectContaining({ property: 'count', constraints: { isInt: 'count must be an integer number' } }),
    ]);
    expect(await validate(Object.assign(new ChildDto(), { name: 'x', nickname: 'y', count: 3 }))).toEqual([]);
  });

  it('is applied once per storage', () => {
    const own = new MetadataStorage();
    cacheValidationMetadata(own);
    const patched = own.getTargetValidationMetadatas;
    cacheValidationMetadata(own);
    expect(own.getTargetValidationMetadatas).toBe(patched);
  });
});
