import { readFileSync } from 'node:fs';
import { pdfText } from '../shared/report/pdf.ts';
const r = await pdfText(readFileSync('tests/fixtures/02-huaian-szf-2024.pdf'));
console.log(r.pages, r.characters, r.imageOnly);
console.log(r.text.slice(r.text.indexOf('二、主动公开'), r.text.indexOf('五、存在')));
