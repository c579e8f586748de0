import { createReadStream, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { compileRecordSchema, MAX_BATCH, strictJsonFault, type Json, type JsonObject, type StrictJsonFault } from '@certledger/certs';
import { parse } from 'csv-parse';
import { cellValue, schemaOfField } from './cell-values.js';

/** Bad rows named in one error; the rest are counted. */
const SHOWN_PROBLEMS = 5;
const MAX_CSV_RECORD_CHARS = 1 << 20;
/** JSON text is parsed whole; past this, NDJSON or CSV (read as a stream) is the way. */
const MAX_JSON_FILE_BYTES = 256 << 20;

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Names that reach an object's prototype when used as a key, so never a record field. */
const RESERVED_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

/** The path of the first reserved field name anywhere in a record (JSON.parse keeps `__proto__` as a plain key). */
function reservedFieldPath(value: unknown, path: string): string | undefined {
  if (Array.isArray(value)) return value.map((item, i) => reservedFieldPath(item, `${path}/${i}`)).find((found) => found !== undefined);
  if (!isObject(value)) return undefined;
  for (const [key, child] of Object.entries(value)) {
    const found = RESERVED_NAMES.has(key) ? `${path}/${key}` : reservedFieldPath(child, `${path}/${key}`);
    if (found) return found;
  }
  return undefined;
}

/** What a records file's JSON text let through that JSON.parse does not refuse, as a problem of that file. */
function strictJsonProblem(fault: StrictJsonFault): string {
  return fault.kind === 'repeated-key' ? `${fault.where}; a record names each field once` : `lists and objects nest ${fault.depth} levels deep`;
}

/** Collects the problems of a records file, so one run reports several bad rows at once. */
class Problems {
  readonly shown: string[] = [];
  count = 0;

  add(where: string, message: string): void {
    this.count++;
    if (this.shown.length < SHOWN_PROBLEMS) this.shown.push(`${where}: ${message}`);
  }

  throwIfAny(name: string): void {
    if (this.count === 0) return;
    const more = this.count - this.shown.length;
    throw new Error(`${name} has ${this.count} bad record${this.count === 1 ? '' : 's'}, nothing was issued: ${this.shown.join('; ')}${more > 0 ? `; and ${more} more` : ''}`);
  }
}

/** Checks each record against the schema and the batch size; keeps the good ones. */
class RecordCollector {
  readonly records: JsonObject[] = [];
  readonly problems = new Problems();
  private readonly validate: (record: unknown) => string | undefined;

  constructor(
    private readonly name: string,
    schema: JsonObject,
  ) {
    this.validate = compileRecordSchema(schema);
  }

  add(where: string, record: unknown): void {
    if (this.records.length >= MAX_BATCH) throw new Error(`${this.name} holds more than ${MAX_BATCH} records, the most one batch can hold`);
    if (!isObject(record)) return this.problems.add(where, 'a record must be a JSON object');
    const reserved = reservedFieldPath(record, '');
    if (reserved) return this.problems.add(where, `${reserved}: "${reserved.slice(reserved.lastIndexOf('/') + 1)}" is not allowed as a field name`);
    const problem = this.validate(record);
    if (problem) return this.problems.add(where, problem);
    this.records.push(record);
  }

  finish(): JsonObject[] {
    this.problems.throwIfAny(this.name);
    if (this.records.length === 0) throw new Error(`${this.name} holds no records`);
    return this.records;
  }
}

/** The header row as field paths: `address.city` → ['address', 'city']; duplicates and clashes refused. */
export function parseCsvHeader(cells: readonly string[], name: string): string[][] {
  const paths = cells.map((cell, i) => {
    const segments = cell.split('.');
    if (segments.some((segment) => segment === '')) throw new Error(`${name}: header column ${i + 1} "${cell}" is not a field name (names joined by dots, such as address.city)`);
    const reserved = segments.find((segment) => RESERVED_NAMES.has(segment));
    if (reserved) throw new Error(`${name}: header column ${i + 1} "${cell}" uses "${reserved}", which is not allowed as a field name`);
    return segments;
  });
  const seen = new Set<string>();
  for (const path of paths) {
    const key = path.join('.');
    if (seen.has(key)) throw new Error(`${name}: the header names "${key}" twice`);
    seen.add(key);
  }
  for (const path of paths) {
    for (let length = 1; length < path.length; length++) {
      const prefix = path.slice(0, length).join('.');
      if (seen.has(prefix)) throw new Error(`${name}: the header has both "${prefix}" and "${path.join('.')}"; a field cannot be a value and hold fields`);
    }
  }
  return paths;
}

function setField(record: JsonObject, path: readonly string[], value: Json): void {
  let node = record;
  for (const segment of path.slice(0, -1)) {
    const child = node[segment];
    node = (isObject(child) ? child : (node[segment] = {})) as JsonObject;
  }
  node[path.at(-1) as string] = value;
}

/**
 * Records from CSV: a header row of field paths, then one record a row. Cells are trimmed;
 * empty cells are left out; each value is converted to the type the schema gives its field.
 * Problems are named by line number.
 */
export async function readCsvRecords(input: Readable, schema: JsonObject, name: string): Promise<JsonObject[]> {
  const parser = input.pipe(parse({ bom: true, info: true, trim: true, skip_empty_lines: true, max_record_size: MAX_CSV_RECORD_CHARS }));
  const collector = new RecordCollector(name, schema);
  let columns: { path: string[]; label: string; schema: JsonObject | undefined }[] | undefined;
  try {
    for await (const { record: cells, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!columns) {
        columns = parseCsvHeader(cells, name).map((path) => ({ path, label: path.join('.'), schema: schemaOfField(schema, path) }));
        continue;
      }
      const record: JsonObject = {};
      const where = `line ${info.lines}`;
      let cellProblem = false;
      cells.forEach((text, i) => {
        const column = columns?.[i];
        if (!column || text === '') return;
        const value = cellValue(text, column.schema);
        if (value.ok) setField(record, column.path, value.value);
        else if (!cellProblem) {
          cellProblem = true;
          collector.problems.add(where, `column "${column.label}": ${JSON.stringify(text.slice(0, 60))} is not ${value.expected}`);
        }
      });
      if (!cellProblem) collector.add(where, record);
    }
  } catch (error) {
    // Parser errors (CSV_…) and file errors (ENOENT…) carry a code; our own sentences do not.
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string') throw error;
    throw new Error(code.startsWith('CSV_') ? `${name}: ${(error as Error).message}` : `cannot read ${name}: ${(error as Error).message}`);
  } finally {
    input.destroy();
  }
  if (!columns) throw new Error(`${name} is empty: expected a header row and one row a record`);
  return collector.finish();
}

/** Records from JSON text: an array of objects, or NDJSON (one object a line). Values are taken as typed. */
export function parseJsonRecords(text: string, schema: JsonObject, name: string): JsonObject[] {
  const collector = new RecordCollector(name, schema);
  const body = text.replace(/^\uFEFF/, '');
  if (body.trimStart().startsWith('[')) {
    let list: unknown;
    try {
      list = JSON.parse(body);
    } catch (error) {
      throw new Error(`${name} is not valid JSON: ${(error as Error).message}`);
    }
    const fault = strictJsonFault(body, list);
    if (fault) throw new Error(`${name}: ${strictJsonProblem(fault)}`);
    if (!Array.isArray(list)) throw new Error(`${name} must hold a JSON array of records`);
    list.forEach((record, i) => collector.add(`record ${i + 1}`, record));
  } else {
    body.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch (error) {
        return collector.problems.add(`line ${i + 1}`, `not valid JSON (${(error as Error).message})`);
      }
      const fault = strictJsonFault(line, record);
      if (fault) return collector.problems.add(`line ${i + 1}`, strictJsonProblem(fault));
      collector.add(`line ${i + 1}`, record);
    });
  }
  return collector.finish();
}

/** Records from a .csv file, or a .json/.ndjson/.jsonl file; see readCsvRecords and parseJsonRecords. */
export async function readRecordFile(file: string, schema: JsonObject): Promise<JsonObject[]> {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as Error).message}`);
  }
  const extension = file.slice(file.lastIndexOf('.') + 1).toLowerCase();
  if (extension === 'csv') return readCsvRecords(createReadStream(file), schema, file);
  if (!['json', 'ndjson', 'jsonl'].includes(extension)) throw new Error(`${file}: expected a .csv, .json, .ndjson or .jsonl file of records`);
  if (size > MAX_JSON_FILE_BYTES) throw new Error(`${file} is ${size} bytes; JSON files of records are read whole, up to ${MAX_JSON_FILE_BYTES} bytes: use CSV for more`);
  return parseJsonRecords(await readFile(file, 'utf8'), schema, file);
}
