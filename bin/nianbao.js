#!/usr/bin/env node
// Package bin: runs the TypeScript CLI through tsx's loader, so `npx nianbao` works right after `npm ci`.
import { register } from 'tsx/esm/api';
register();
await import('../shared/cli/index.ts');
