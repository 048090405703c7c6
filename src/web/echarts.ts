/**
 * ECharts for rendering charts to SVG on the server, from the package's one-file ES build.
 * The package's main ES entry is some 600 small modules: importing it cost about a second of CPU
 * on every process start (each server, CLI command, test worker and parse process that loads the
 * app), the one file a tenth of that. Same version, same API and the same SVG.
 */
export { init } from 'echarts/dist/echarts.esm.min';
