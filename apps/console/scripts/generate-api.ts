/**
 * `npm run console:api`: writes the API's OpenAPI document and the console's client types from the
 * Nest app (no database needed). Run it after changing a route or a DTO; a unit test fails while
 * the committed files are stale.
 */
import { writeFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { API_DOCUMENT_FILE, API_TYPES_FILE, apiTypesText, buildApiDocument, documentText } from './api-document';

async function main(): Promise<void> {
  const document = await buildApiDocument();
  await writeFile(API_DOCUMENT_FILE, documentText(document));
  await writeFile(API_TYPES_FILE, await apiTypesText(document));
  for (const file of [API_DOCUMENT_FILE, API_TYPES_FILE]) console.warn(`wrote ${relative(process.cwd(), file)}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
