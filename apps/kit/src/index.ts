export {
  type ChartLayout,
  escapeXml,
  evenTicks,
  heatmap,
  type LineChartOptions,
  lineChart,
  type ScatterPoint,
  type Series,
  scatterChart,
  type XTick,
} from './charts.js';
export { numberArg } from './number-arg.js';
export {
  type EpochProgress,
  type EpochReporterOptions,
  epochReporter,
  type StepProgress,
  type StepReporterOptions,
  stepReporter,
} from './progress.js';
