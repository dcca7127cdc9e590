/** The registry deployed with the stack, read once per container (cold start) and indexed by id. */
import { loadRegistry, type Body } from '../../shared/crawl/registry.ts';
import { ConfigError } from './config.ts';

const cache = new Map<string, Map<string, Body>>();

export function registryBodies(file: string): Map<string, Body> {
  let bodies = cache.get(file);
  if (!bodies) {
    const r = loadRegistry(file);
    if (r.problems.length)
      throw new ConfigError(`${file}: ${r.problems.length} registry problems, first: line ${r.problems[0]!.line}: ${r.problems[0]!.message}`);
    bodies = new Map(r.bodies.map((b) => [b.id, b]));
    cache.set(file, bodies);
  }
  return bodies;
}
