/**
 * Progress output: cli-progress bars on a terminal (training steps with loss; each sweep point with blocks,
 * errors and BLER), plain log lines otherwise (CI logs, pipes). Everything goes to stderr so stdout stays
 * clean for command output.
 */
import cliProgress from 'cli-progress';
import type { ChunkProgress, PointResult } from '../src/montecarlo/types.ts';
import { cliMsg } from '../src/messages.ts';

export interface TrainTick {
  step: number;
  steps: number;
  loss: number;
  accuracy: number;
}

export interface Progress {
  log(line: string): void;
  trainStart(id: string, steps: number, ebno: string): void;
  trainTick(id: string, t: TrainTick): void;
  /** `extensions`: times training was extended because the decoder lagged ML decoding of its own codebook. */
  trainEnd(id: string, seconds: number, accuracy: number, restarts: number, extensions?: number): void;
  sweepStart(curveId: string, points: number[], indices: number[]): void;
  chunk(curveId: string, p: ChunkProgress): void;
  point(curveId: string, index: number, r: PointResult): void;
  sweepEnd(curveId: string): void;
  stop(): void;
}

const sci = (x: number): string => (x > 0 ? x.toExponential(2) : '0');

/** Plain lines: training every 10%, every finished point. */
export class LineProgress implements Progress {
  private lastDecile = new Map<string, number>();
  constructor(private readonly out: NodeJS.WritableStream = process.stderr) {}
  log(line: string): void {
    this.out.write(line + '\n');
  }
  trainStart(id: string, steps: number, ebno: string): void {
    this.lastDecile.set(id, 0);
    this.log(cliMsg.training(id, steps, ebno));
  }
  trainTick(id: string, t: TrainTick): void {
    const decile = Math.floor((10 * t.step) / t.steps);
    if (decile > (this.lastDecile.get(id) ?? 0)) {
      this.lastDecile.set(id, decile);
      this.log(cliMsg.trainingProgress(id, t.step, t.steps, t.loss, t.accuracy));
    }
  }
  trainEnd(id: string, seconds: number, accuracy: number, restarts: number, extensions = 0): void {
    this.log(cliMsg.trained(id, seconds, accuracy, restarts, extensions));
  }
  sweepStart(curveId: string, points: number[], indices: number[]): void {
    this.log(cliMsg.sweepStart(curveId, indices.length || points.length));
  }
  chunk(): void {}
  point(curveId: string, _index: number, r: PointResult): void {
    this.log(cliMsg.pointDone(curveId, r.ebnoDb, r.blocks, r.errors, r.bler, r.status));
  }
  sweepEnd(): void {}
  stop(): void {}
}

/** Bars on a TTY: one for the running training or sweep, with a log area above. */
export class BarProgress implements Progress {
  private readonly multi: cliProgress.MultiBar;
  private bar: cliProgress.SingleBar | undefined;
  private pointsDone = 0;

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
    this.bar = this.multi.create(steps, 0, { task: `train ${id}`, unit: 'steps', info: '' });
  }
  private lastRender = 0;
  trainTick(_id: string, t: TrainTick): void {
    if (this.bar && t.steps !== this.bar.getTotal()) this.bar.setTotal(t.steps);
    this.bar?.update(t.step, { info: `loss ${t.loss.toFixed(4)} acc ${(t.accuracy * 100).toFixed(1)}%` });
    // Training may run without yielding to the event loop, so the bar's redraw timer cannot fire: redraw here.
    const now = Date.now();
    if (now - this.lastRender > 125) {
      this.lastRender = now;
      this.multi.update();
    }
  }
  trainEnd(id: string, seconds: number, accuracy: number, restarts: number, extensions = 0): void {
    this.finishBar();
    this.log(cliMsg.trained(id, seconds, accuracy, restarts, extensions));
  }
  sweepStart(curveId: string, points: number[], indices: number[]): void {
    this.finishBar();
    this.pointsDone = 0;
    const total = indices.length || points.length;
    this.bar = this.multi.create(total, 0, { task: curveId, unit: 'points', info: '' });
  }
  chunk(_curveId: string, p: ChunkProgress): void {
    const bler = p.blocks > 0 ? p.errors / p.blocks : 0;
    this.bar?.update(this.pointsDone, {
      info: `@ ${p.ebnoDb} dB: ${p.blocks.toLocaleString('en-US')} blocks, ${p.errors} errors, BLER ${sci(bler)}, ${Math.round(p.blocksPerSecond).toLocaleString('en-US')} blocks/s`,
    });
  }
  point(curveId: string, _index: number, r: PointResult): void {
    this.pointsDone++;
    this.bar?.update(this.pointsDone);
    this.log(cliMsg.pointDone(curveId, r.ebnoDb, r.blocks, r.errors, r.bler, r.status));
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
