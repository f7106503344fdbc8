// The floor of reading Markdown reports: read and parse each file of a list with
// remark-parse + gfm, nothing else. Usage: node bench/remarkFloor.js LIST.json
import { readFileSync } from 'node:fs';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';

const processor = unified().use(remarkParse).use(remarkGfm);
let nodes = 0;
for (const file of JSON.parse(readFileSync(process.argv[2], 'utf8'))) nodes += processor.parse(readFileSync(file, 'utf8')).children.length;
if (nodes === 0) process.exitCode = 1;
