import { migration001 } from './001_products_samples_users';
import { migration002 } from './002_models_training';
import { migration003 } from './003_inspections';
import { migration004 } from './004_settings_inspection_files';
import { migration005 } from './005_pin_attempts';
import { migration006 } from './006_training_run_owner';
import { migration007 } from './007_inspection_images_removed';
import { migration008 } from './008_threshold_source';
import { migration009 } from './009_threshold_carried_from';
import { migration010 } from './010_score_spread';
import type { Migration } from './migration';

/** Every schema change, in order. Append only. */
export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
  migration009,
  migration010,
];
