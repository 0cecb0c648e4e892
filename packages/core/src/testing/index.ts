/**
 * `@nexus/ebm-core/testing`: the reusable contract suite every energy runs, and that a user can run on
 * their own energy.
 *
 * @packageDocumentation
 */
export type {
  ContractCheck,
  ContractOptions,
  EnergyModelFactory,
  TestRunner,
} from './contract.js';
export { describeEnergyModelContract, energyModelContractChecks } from './contract.js';
