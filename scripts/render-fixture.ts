/** Writes the generated report used for the derived PDF/DOCX/DOC fixtures: its HTML and its figures. */
import { writeFileSync } from 'node:fs';
import { randomModel } from '../shared/demo/generate.ts';
import { render } from '../shared/demo/render.ts';

const [out, seed] = [process.argv[2]!, Number(process.argv[3] ?? 2021)];
const model = randomModel(seed, '2021');
writeFileSync(`${out}.html`, render(model, 'html'));
writeFileSync(`${out}.expected.json`, `${JSON.stringify({ seed, ...model }, null, 1)}\n`);
