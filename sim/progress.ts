/**
 * Progress output: cli-progress bars on a terminal (training steps with loss and time left; each sweep point
 * with blocks, errors, BLER and the time left of the point and of the curve's sweep), plain log lines
 * otherwise (CI logs, pipes: training every 10% with time left, every finished point with the time left of
 * its sweep). Everything goes to stderr so stdout stays clean for command output. The estimates come from
 * src/run/eta.ts.
 */
import cliProgress from 'cli-progress';
import type { ChunkProgress, PointResult, StoppingRules } from '../src/montecarlo/types.ts';
import { cliMsg } from '../src/messages.ts';
import { isFinalStatus } from '../src/vocabulary.ts';
import { endsSweep, formatDuration, formatEta, pointEta, RateMeter, sweepEta, sweepEtaAfterPoint, timeLeft } from '../src/run/eta.ts';

export interface TrainTick {
  step: number;
  steps: number;
  loss: number;
  accuracy: number;
  /** Training attempt (a restart starts a new one, from step 0). */
  attempt?: number;
  /** The latest validation check when training stops on convergence: loss and BLER on the validation set. */
  validation?: { loss: number; bler: number };
}

/** The latest validation check per training id, shown until the next one arrives. */
class LastValidation {
  private readonly last = new Map<string, { loss: number; bler: number }>();
  of(id: string, t: TrainTick): { loss: number; bler: number } | undefined {
    if (t.validation) this.last.set(id, t.validation);
    else if (t.step <= 1) this.last.delete(id);
    return this.last.get(id);
  }
}

export interface Progress {
  log(line: string): void;
  trainStart(id: string, steps: number, ebno: string): void;
  trainTick(id: string, t: TrainTick): void;
  /** `extensions`: times training was extended because the decoder lagged ML decoding of its own codebook. */
  trainEnd(id: string, seconds: number, accuracy: number, restarts: number, extensions?: number, refinement?: { steps: number; ebnoDb: number }): void;
  /** `todo`: the point indices this run simulates (not those of other shards, nor points kept by --resume). */
  sweepStart(curveId: string, points: number[], todo: number[], rules: StoppingRules): void;
  chunk(curveId: string, p: ChunkProgress): void;
  point(curveId: string, index: number, r: PointResult): void;
  sweepEnd(curveId: string): void;
  stop(): void;
}

const sci = (x: number): string => (x > 0 ? x.toExponential(2) : '0');
const now = (): number => performance.now() / 1000;

/** Training speed of the running training, for its time left (restarts start a new measurement). */
class TrainClock {
  private meter = new RateMeter();
  private attempt: number | undefined;
  start(): void {
    this.meter.reset();
    this.attempt = undefined;
  }
  /** Time left in words, or undefined while the speed is not known yet. */
  tick(t: TrainTick): string | undefined {
    if (t.attempt !== this.attempt) this.meter.reset();
    this.attempt = t.attempt;
    this.meter.add(now(), t.step);
    const left = timeLeft(t.step, t.steps, this.meter.rate());
    return left === undefined ? undefined : formatDuration(left);
  }
}

/** The points of a curve's sweep still to run after point `index`. */
class SweepPlan {
  private todo: number[] = [];
  rules: StoppingRules | undefined;
  start(todo: number[], rules: StoppingRules): void {
    this.todo = todo;
    this.rules = rules;
  }
  pointsAfter(index: number): number {
    return this.todo.filter((i) => i > index).length;
  }
}

/** Plain lines: training every 10%, every finished point. */
export class LineProgress implements Progress {
  private lastDecile = new Map<string, number>();
  private clock = new TrainClock();
  private readonly validation = new LastValidation();
  private plan = new SweepPlan();
  constructor(private readonly out: NodeJS.WritableStream = process.stderr) {}
  log(line: string): void {
    this.out.write(line + '\n');
  }
  trainStart(id: string, steps: number, ebno: string): void {
    this.lastDecile.set(id, 0);
    this.clock.start();
    this.log(cliMsg.training(id, steps, ebno));
  }
  trainTick(id: string, t: TrainTick): void {
    const left = this.clock.tick(t);
    const validation = this.validation.of(id, t);
    const decile = Math.floor((10 * t.step) / t.steps);
    if (decile > (this.lastDecile.get(id) ?? 0)) {
      this.lastDecile.set(id, decile);
      this.log(cliMsg.trainingProgress(id, t.step, t.steps, t.loss, t.accuracy, left, validation));
    }
  }
  trainEnd(id: string, seconds: number, accuracy: number, restarts: number, extensions = 0, refinement?: { steps: number; ebnoDb: number }): void {
    this.log(cliMsg.trained(id, seconds, accuracy, restarts, extensions, refinement));
  }
  sweepStart(curveId: string, _points: number[], todo: number[], rules: StoppingRules): void {
    this.plan.start(todo, rules);
    this.log(cliMsg.sweepStart(curveId, todo.length));
  }
  chunk(): void {}
  point(curveId: string, index: number, r: PointResult): void {
    this.log(
      r.method === 'importance'
        ? cliMsg.isPointDone(curveId, r)
        : cliMsg.pointDone(curveId, r.ebnoDb, r.blocks, r.errors, r.bler, r.status, r.ber) + afterPoint(this.plan, index, r),
    );
  }
  sweepEnd(): void {}
  stop(): void {}
}

/** `; 3 more points on this curve: 20s–1m40s`, after a finished point whose sweep goes on; else nothing. */
function afterPoint(plan: SweepPlan, index: number, r: PointResult): string {
  const rules = plan.rules;
  const after = plan.pointsAfter(index);
  if (!rules || after === 0 || !isFinalStatus(r.status) || endsSweep(r, rules)) return '';
  const eta = sweepEtaAfterPoint(r.blocks, after, rules, r.seconds > 0 ? r.blocks / r.seconds : 0);
  return eta ? cliMsg.sweepLeft(after, formatEta(eta)) : '';
}

/** Bars on a TTY: one for the running training or sweep, with a log area above. */
export class BarProgress implements Progress {
  private readonly multi: cliProgress.MultiBar;
  private bar: cliProgress.SingleBar | undefined;
  private pointsDone = 0;
  private clock = new TrainClock();
  private readonly validation = new LastValidation();
  private plan = new SweepPlan();

  constructor() {
    this.multi = new cliProgress.MultiBar(
      {
        format: ' {task} |{bar}| {value}/{total} {unit} {info}',
        barCompleteChar: '█',
        barIncompleteChar: '░',
        hideCursor: true,
        clearOnComplete: true,
        stopOnComplete: false,
        etaBuffer: 50,
        fps: 8,
        autopadding: true,
      },
      cliProgress.Presets.shades_classic,
    );
  }

  log(line: string): void {
    this.multi.log(line + '\n');
  }

  private finishBar(): void {
    if (this.bar) {
      this.bar.stop();
      this.multi.remove(this.bar);
      this.bar = undefined;
    }
  }

  trainStart(id: string, steps: number, ebno: string): void {
    this.finishBar();
    this.log(cliMsg.training(id, steps, ebno));
    this.clock.start();
    this.bar = this.multi.create(steps, 0, { task: `train ${id}`, unit: 'steps', info: '' });
  }
  private lastRender = 0;
  trainTick(id: string, t: TrainTick): void {
    const left = this.clock.tick(t);
    const validation = this.validation.of(id, t);
    if (this.bar && t.steps !== this.bar.getTotal()) this.bar.setTotal(t.steps);
    this.bar?.update(t.step, { info: cliMsg.trainBarInfo(t.loss, t.accuracy, left, validation) });
    // Training may run without yielding to the event loop, so the bar's redraw timer cannot fire: redraw here.
    const now = Date.now();
    if (now - this.lastRender > 125) {
      this.lastRender = now;
      this.multi.update();
    }
  }
  trainEnd(id: string, seconds: number, accuracy: number, restarts: number, extensions = 0, refinement?: { steps: number; ebnoDb: number }): void {
    this.finishBar();
    this.log(cliMsg.trained(id, seconds, accuracy, restarts, extensions, refinement));
  }
  sweepStart(curveId: string, _points: number[], todo: number[], rules: StoppingRules): void {
    this.finishBar();
    this.pointsDone = 0;
    this.plan.start(todo, rules);
    this.bar = this.multi.create(todo.length, 0, { task: curveId, unit: 'points', info: '' });
  }
  chunk(_curveId: string, p: ChunkProgress): void {
    const bler = p.blocks > 0 ? p.errors / p.blocks : 0;
    const rules = this.plan.rules;
    const point = rules && pointEta(p.blocks, p.errors, rules, p.blocksPerSecond, p.bitErrors);
    const after = this.plan.pointsAfter(p.pointIndex);
    const sweep = rules && after > 0 ? sweepEta(p.blocks, p.errors, after, rules, p.blocksPerSecond, p.bitErrors) : undefined;
    this.bar?.update(this.pointsDone, {
      info:
        `@ ${p.ebnoDb} dB: ${p.blocks.toLocaleString('en-US')} blocks, ${p.errors} errors, BLER ${sci(bler)}, ${Math.round(p.blocksPerSecond).toLocaleString('en-US')} blocks/s` +
        (point ? cliMsg.sweepBarEta(formatEta(point), sweep && formatEta(sweep)) : ''),
    });
  }
  point(curveId: string, index: number, r: PointResult): void {
    this.pointsDone++;
    this.bar?.update(this.pointsDone);
    this.log(
      r.method === 'importance'
        ? cliMsg.isPointDone(curveId, r)
        : cliMsg.pointDone(curveId, r.ebnoDb, r.blocks, r.errors, r.bler, r.status, r.ber) + afterPoint(this.plan, index, r),
    );
  }
  sweepEnd(): void {
    this.finishBar();
  }
  stop(): void {
    this.finishBar();
    this.multi.stop();
  }
}

export function makeProgress(tty: boolean = Boolean(process.stderr.isTTY) && !process.env.CI): Progress {
  return tty ? new BarProgress() : new LineProgress();
}
