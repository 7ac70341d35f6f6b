/** The batch scripts of `sim slurm` (src/run/slurm-scripts.ts): what each job runs, quoting, dependencies. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { shq, slurmJobs, submitCommands, type SlurmPlan } from '../../src/run/slurm-scripts.ts';

const plan = (over: Partial<SlurmPlan> = {}): SlurmPlan => ({
  name: 'fig',
  scenarioFile: "/runs/it's here/fig/slurm/scenario.yaml",
  out: "/runs/it's here",
  runDir: "/runs/it's here/fig",
  slurmDir: "/runs/it's here/fig/slurm",
  shards: 4,
  trains: true,
  node: '/usr/bin/node',
  bin: '/opt/sim/sim/bin.js',
  quick: false,
  ...over,
});

describe('sim slurm scripts (src/run/slurm-scripts.ts)', () => {
  it('shq survives single quotes in paths (checked by the shell itself)', () => {
    const s = "/a b/it's/$HOME/`x`";
    const r = spawnSync('bash', ['-c', `printf %s ${shq(s)}`], { encoding: 'utf8' });
    assert.equal(r.stdout, s);
  });

  it('train → shards (task id = shard) → merge, with --seed, --quick and the allocation', () => {
    const jobs = slurmJobs(plan({ seed: 'a b', quick: true, partition: 'gpu', time: '1:00:00', cpusPerTask: 8 }));
    assert.deepEqual(
      jobs.map((j) => j.name),
      ['train', 'shards', 'merge'],
    );
    const [train, shards, merge] = jobs.map((j) => j.text);
    for (const t of [train, shards, merge]) {
      assert.match(t, /^#!\/bin\/bash\n/);
      assert.match(t, /#SBATCH --partition=gpu\n#SBATCH --time=1:00:00\n#SBATCH --cpus-per-task=8\n/);
      assert.match(t, /set -euo pipefail/);
    }
    assert.match(train, / run '\/runs\/it'\\''s here\/fig\/slurm\/scenario\.yaml' --out '\/runs\/it'\\''s here' --seed 'a b' --quick --train-only /);
    assert.match(shards, /#SBATCH --array=1-4\n#SBATCH --output="\/runs\/it's here\/fig\/slurm\/logs\/shard-%a-of-4-%A\.out"\n/);
    assert.match(shards, / --shard "\$SLURM_ARRAY_TASK_ID\/4" --models '\/runs\/it'\\''s here\/fig\/models' /);
    assert.match(merge, / merge '\/runs\/it'\\''s here\/fig'\n/);
    assert.match(merge, /if grep -q '"reason": "shards-short"' .*results\.json'; then\n {2}.* --resume /);
    assert.deepEqual(
      submitCommands(jobs).map((c) => c.replace(/ '\/runs[\s\S]*?\.sbatch'/, '')),
      [
        "train=$(sbatch --parsable | cut -d';' -f1)",
        "shards=$(sbatch --parsable --dependency=afterok:$train | cut -d';' -f1)",
        "merge=$(sbatch --parsable --dependency=afterok:$shards | cut -d';' -f1)",
      ],
    );
  });

  it('without autoencoders there is no train job and the shards load no models', () => {
    const jobs = slurmJobs(plan({ trains: false }));
    assert.deepEqual(
      jobs.map((j) => j.name),
      ['shards', 'merge'],
    );
    assert.doesNotMatch(jobs[0].text, /--models/);
    assert.match(submitCommands(jobs)[0], /^shards=\$\(sbatch --parsable '/);
  });
});
