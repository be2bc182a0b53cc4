/** Jest: ts-jest for everything; browser tests share the runner. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: { module: 'commonjs', moduleResolution: 'node', target: 'ES2020', esModuleInterop: true, resolveJsonModule: true, isolatedModules: true }, diagnostics: { ignoreCodes: [151002] } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(date-fns)/)'],
  globalSetup: '<rootDir>/test/globalSetup.cjs',
  testTimeout: 60000,
  maxWorkers: 2,
};
