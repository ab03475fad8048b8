// Past one machine: the Kubernetes Indexed Job runs shard $JOB_COMPLETION_INDEX of N in each pod,
// with N said once for the Job and once for the command; the CLI image holds what the CLI needs
// (checked by laying out the runtime stage's COPY lines in a directory and sweeping from there).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';

describe('deploy/', () => {
  it('the Indexed Job gives each pod --shard $JOB_COMPLETION_INDEX/N with N = completions, and keeps every shard\'s lines', () => {
    const documents = parseAllDocuments(readFileSync('deploy/kubernetes/sweep-job.yaml', 'utf8')).map((document) => document.toJS());
    const job = documents.find((document) => document.kind === 'Job');
    expect(job.apiVersion).toBe('batch/v1');
    expect(job.spec.completionMode).toBe('Indexed');
    const container = job.spec.template.spec.containers[0];
    const shards = container.env.find((variable: { name: string }) => variable.name === 'SHARDS').value;
    expect(Number(shards)).toBe(job.spec.completions);
    const command = container.args.join(' ');
    expect(command).toMatch(/agentos\.mjs sweep \/plans\/plan\.yaml --shard "\$JOB_COMPLETION_INDEX\/\$SHARDS"/);
    expect(command).toMatch(/--out "\/results\/shard-\$JOB_COMPLETION_INDEX\.jsonl\.part"/);
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    expect(documents.find((document) => document.kind === 'PersistentVolumeClaim').metadata.name).toBe(job.spec.template.spec.volumes.find((v: { name: string }) => v.name === 'results').persistentVolumeClaim.claimName);
  });

  it("the image's runtime stage copies all the CLI needs: a sweep runs from a directory laid out by its COPY lines", () => {
    const dockerfile = readFileSync('deploy/Dockerfile', 'utf8');
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    const root = mkdtempSync(join(tmpdir(), 'agentos-image-'));
    for (const match of runtime.matchAll(/^COPY (--from=\w+ )?(\S+) (\S+)$/gm)) {
      const [, from, source, target] = match;
      const destination = resolve(root, target.replace(/^\.\/?/, '') || '.');
      const path = from ? source.replace(/^\/app\//, '') : source;
      if (path === 'package.json package-lock.json') continue;
      mkdirSync(dirname(destination), { recursive: true });
      cpSync(path, target.endsWith('/') ? join(destination, path.split('/').pop()!) : destination, { recursive: true });
    }
    cpSync('package.json', join(root, 'package.json'));
    symlinkSync(resolve('node_modules'), join(root, 'node_modules'));
    const result = spawnSync(process.execPath, ['bin/agentos.mjs', 'sweep', 'public/examples/starvation-policies.experiment.yaml', '--shard', '0/20'], { cwd: root, encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line).trial)).toEqual([0, 20]);
  }, 120_000);
});
