/** Keys: four distinct kinds — `1`, `1n`, `'1'` and a one-byte buffer are different keys. */
export type Key = string | number | bigint | Buffer | Uint8Array;
/** JSON data made of plain objects, arrays, strings, finite numbers, booleans and null. */
export type JsonData = string | number | boolean | null | JsonData[] | { [key: string]: JsonData };
export type Value = Key | boolean | null | JsonData;
/** What SQLite stores for a key or value. */
export type SqlValue = string | number | Buffer | null;

/** Key kinds, stored next to the key so equal-looking keys of different types stay apart. */
export const KIND = { STRING: 0, NUMBER: 1, BIGINT: 2, BYTES: 3 } as const;

/** Value modes: how the `value` column (or the spill file) is decoded. */
export const MODE = { TEXT: 1, NUMBER: 2, BIGINT: 3, BYTES: 4, BOOLEAN: 5, NULL: 6, JSON: 7, NAN: 8 } as const;
