import { writeFile } from 'node:fs/promises';
import { printSortedSchema } from '../src/graphql/schema.js';

// schema.graphql is generated: a test fails when it is stale, so run `npm run schema` after changing types.
await writeFile(new URL('../schema.graphql', import.meta.url), printSortedSchema());
console.log('wrote schema.graphql');
