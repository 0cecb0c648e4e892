/**
 * The hyperparameters of {@link Autoencoder}, declared once: the options interface (whose comments
 * `pnpm docs:options` writes from the declaration) and {@link AUTOENCODER_PARAMS}.
 *
 * @module
 */
import { constraints, ParamDeclaration, type ParamValues } from '@nexus/ebm-core/extend';
import { ACTIVATIONS, type Activation } from './kernels.js';

const { real, integer, oneOf, boolean, integers, anyOf } = constraints;

/** Weight initialisations of {@link Autoencoder}. */
const INITS = ['he', 'xavier'] as const;
/** Optimisers of {@link Autoencoder}. */
const OPTIMIZERS = ['adam', 'sgd'] as const;

/**
 * Hyperparameters of {@link Autoencoder}. Every field is optional; accepted values and defaults are
 * declared in {@link AUTOENCODER_PARAMS}.
 */
export interface AutoencoderOptions {
  /**
   * Activation of every hidden layer. On the small networks that suit tabular telemetry, ReLU units die
   * easily (a dead bottleneck unit collapses the code), while tanh trains reliably and its saturation keeps
   * far outliers from being reconstructed. Default: `'tanh'`.
   */
  readonly activation?: Activation;
  /**
   * Activation of the output layer (`'sigmoid'` suits [0, 1] data without standardising). Default:
   * `'linear'`.
   */
  readonly outputActivation?: Activation;
  /** Slope of leaky ReLU for negative inputs. Default: `0.01`. */
  readonly leakySlope?: number;
  /**
   * Weight initialisation: He (normal, std √(2/fan_in)) or Xavier (uniform, ±√(6/(fan_in+fan_out))). Default:
   * `'he'` for ReLU-like activations, else `'xavier'`.
   */
  readonly init?: 'he' | 'xavier';
  /** Optimiser: Adam or SGD with momentum. Default: `'adam'`. */
  readonly optimizer?: 'adam' | 'sgd';
  /** Step size. Default: `0.001` for Adam, `0.01` for SGD. */
  readonly learningRate?: number;
  /** Adam's first-moment decay. Default: `0.9`. */
  readonly beta1?: number;
  /** Adam's second-moment decay. Default: `0.999`. */
  readonly beta2?: number;
  /** Adam's denominator guard. Default: `1e-7`. */
  readonly epsilon?: number;
  /** SGD momentum. Default: `0.9`. */
  readonly momentum?: number;
  /** L2 weight decay λ (adds λ·W to the weight gradients; biases are not decayed). Default: `0`. */
  readonly weightDecay?: number;
  /**
   * Maximum number of passes over the training rows: a number, or `'auto'` for clamp(round(50,000 / n), 10,
   * 30), n the rows given to fit (about 50,000 row visits, never fewer than 10 or more than 30 passes; the
   * progress reports give the resolved number as `epochs`). Default: `'auto'`.
   */
  readonly epochs?: number | 'auto';
  /** Minibatch size. Default: `64`. */
  readonly batchSize?: number;
  /**
   * Standard deviation of Gaussian noise added to the inputs while training (denoising); 0 disables. Default:
   * `0`.
   */
  readonly inputNoise?: number;
  /** Dropout rate of the hidden layers while training. Default: `0.2`. */
  readonly dropout?: number;
  /** Largest global gradient norm (larger gradients are rescaled); 0 disables clipping. Default: `0`. */
  readonly clipNorm?: number;
  /** Fraction of the rows held out for validation and early stopping. Default: `0.1`. */
  readonly validationFraction?: number;
  /** Epochs without a validation improvement before stopping; 0 disables early stopping. Default: `10`. */
  readonly patience?: number;
  /** Smallest decrease of the validation loss that counts as an improvement. Default: `0`. */
  readonly minDelta?: number;
  /** Whether to restore the weights of the best validation epoch at the end. Default: `true`. */
  readonly restoreBest?: boolean;
  /**
   * Whether to standardise every feature with the training mean and standard deviation before the network
   * (energies are then reconstruction errors in standard units). Default: `true`.
   */
  readonly standardize?: boolean;
  /**
   * Widths of the encoder's hidden layers, the last one being the bottleneck; the decoder mirrors them (`[32,
   * 8]` on 64 features gives the network 64-32-8-32-64). Default: `[⌈d/2⌉, ⌈d/8⌉]` for d features with the
   * bottleneck clamped to 1 … d−1, or `[⌈d/2⌉]` when both coincide.
   */
  readonly hiddenSizes?: readonly number[];
  /** Default seed of `fit`. */
  readonly seed?: number;
}

/** The checked hyperparameters of an {@link Autoencoder} (`hiddenSizes` is undefined until fit derives it). */
export type AutoencoderParams = ParamValues<AutoencoderOptions, 'hiddenSizes'>;

const unit = real({ ge: 0, lt: 1 });
const nonNegative = real({ ge: 0 });

/**
 * The autoencoder's hyperparameters: constraint, default and documentation of each, in the order they are
 * checked and saved.
 *
 * @example
 * ```ts
 * AUTOENCODER_PARAMS.rows().map((r) => r.name); // ['activation', 'outputActivation', …]
 * ```
 */
export const AUTOENCODER_PARAMS: ParamDeclaration<AutoencoderOptions, AutoencoderParams> =
  new ParamDeclaration<AutoencoderOptions, AutoencoderParams>('Autoencoder', {
    activation: {
      check: oneOf(ACTIVATIONS),
      default: 'tanh',
      doc:
        'Activation of every hidden layer. On the small networks that suit tabular telemetry, ReLU units die ' +
        'easily (a dead bottleneck unit collapses the code), while tanh trains reliably and its saturation ' +
        'keeps far outliers from being reconstructed.',
    },
    outputActivation: {
      check: oneOf(ACTIVATIONS),
      default: 'linear',
      doc: "Activation of the output layer (`'sigmoid'` suits [0, 1] data without standardising).",
    },
    leakySlope: {
      check: real({ gt: 0, lt: 1 }),
      default: 0.01,
      doc: 'Slope of leaky ReLU for negative inputs.',
    },
    init: {
      check: oneOf(INITS),
      default: (p) => (p.activation === 'relu' || p.activation === 'leaky-relu' ? 'he' : 'xavier'),
      defaultDoc: "`'he'` for ReLU-like activations, else `'xavier'`",
      doc: 'Weight initialisation: He (normal, std √(2/fan_in)) or Xavier (uniform, ±√(6/(fan_in+fan_out))).',
    },
    optimizer: { check: oneOf(OPTIMIZERS), default: 'adam', doc: 'Optimiser: Adam or SGD with momentum.' },
    learningRate: {
      check: real({ gt: 0, le: 10 }),
      default: (p) => (p.optimizer === 'adam' ? 1e-3 : 1e-2),
      defaultDoc: '`0.001` for Adam, `0.01` for SGD',
      doc: 'Step size.',
    },
    beta1: { check: unit, default: 0.9, doc: "Adam's first-moment decay." },
    beta2: { check: unit, default: 0.999, doc: "Adam's second-moment decay." },
    epsilon: { check: real({ gt: 0 }), default: 1e-7, doc: "Adam's denominator guard." },
    momentum: { check: unit, default: 0.9, doc: 'SGD momentum.' },
    weightDecay: {
      check: nonNegative,
      default: 0,
      doc: 'L2 weight decay λ (adds λ·W to the weight gradients; biases are not decayed).',
    },
    epochs: {
      check: anyOf(integer(1, 1_000_000), oneOf(['auto'] as const)),
      default: 'auto',
      doc:
        "Maximum number of passes over the training rows: a number, or `'auto'` for clamp(round(50,000 / n), " +
        '10, 30), n the rows given to fit (about 50,000 row visits, never fewer than 10 or more than 30 ' +
        'passes; the progress reports give the resolved number as `epochs`).',
    },
    batchSize: { check: integer(1, 1_000_000), default: 64, doc: 'Minibatch size.' },
    inputNoise: {
      check: nonNegative,
      default: 0,
      doc: 'Standard deviation of Gaussian noise added to the inputs while training (denoising); 0 disables.',
    },
    dropout: { check: unit, default: 0.2, doc: 'Dropout rate of the hidden layers while training.' },
    clipNorm: {
      check: nonNegative,
      default: 0,
      doc: 'Largest global gradient norm (larger gradients are rescaled); 0 disables clipping.',
    },
    validationFraction: {
      check: unit,
      default: 0.1,
      doc: 'Fraction of the rows held out for validation and early stopping.',
    },
    patience: {
      check: integer(0, 1_000_000),
      default: 10,
      doc: 'Epochs without a validation improvement before stopping; 0 disables early stopping.',
    },
    minDelta: {
      check: nonNegative,
      default: 0,
      doc: 'Smallest decrease of the validation loss that counts as an improvement.',
    },
    restoreBest: {
      check: boolean(),
      default: true,
      doc: 'Whether to restore the weights of the best validation epoch at the end.',
    },
    standardize: {
      check: boolean(),
      default: true,
      doc:
        'Whether to standardise every feature with the training mean and standard deviation before the ' +
        'network (energies are then reconstruction errors in standard units).',
    },
    hiddenSizes: {
      check: integers({ min: 1, max: 65_536, minLength: 1, maxLength: 16 }),
      derived:
        '`[⌈d/2⌉, ⌈d/8⌉]` for d features with the bottleneck clamped to 1 … d−1, or `[⌈d/2⌉]` when both ' +
        'coincide',
      doc:
        "Widths of the encoder's hidden layers, the last one being the bottleneck; the decoder mirrors them " +
        '(`[32, 8]` on 64 features gives the network 64-32-8-32-64).',
    },
  });
