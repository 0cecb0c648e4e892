/**
 * How a feature column relates to the raw log field it came from. Featurizers produce one per column;
 * explanations fold attributions of columns that share a `field` (one-hot, hashed, cyclic) into one reason.
 */
export interface FeatureColumn {
  /** Stable, human-readable column name, e.g. `dst_computer=C1003` or `user_host_first_seen`. */
  readonly name: string;
  /** The raw field (or entity relation) the column came from, e.g. `dst_computer`, `time`, `user→dst_computer`. */
  readonly field: string;
  /** How the column encodes the field. */
  readonly kind:
    | 'numeric'
    | 'onehot'
    | 'hash'
    | 'cyclic'
    | 'flag'
    | 'rarity'
    | 'count'
    | 'ratio'
    | 'regularity'
    | 'state';
  /** For one-hot columns: the category value this column stands for (`<unseen>` for the unseen bucket). */
  readonly value?: string;
  /** A short phrase for reasons, e.g. `never seen for this user`, `unusual for this user`. */
  readonly description?: string;
  /**
   * Optional wording of the reason this column gives in explanations, e.g.
   * `dst_computer {value} never seen for {user}`. Placeholders: `{value}` (the field's raw value), `{field}`,
   * `{description}`, and `{other}` for any raw field of the event (`{user}` → `U620`). Without it a reason
   * reads `field = value (description)`. `description` may use the same placeholders.
   */
  readonly template?: string;
}
