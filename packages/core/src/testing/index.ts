/**
 * `@nexus/ebm-core/testing`: the reusable contract suite every energy runs, and that a user can run on
 * their own energy.
 *
 * @packageDocumentation
 */
export {};
