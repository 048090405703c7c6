// ECharts' one-file ES build has the package's API; its types are the package's own.
declare module 'echarts/dist/echarts.esm.min' {
  export * from 'echarts';
}
