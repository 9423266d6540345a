/**
 * Why this exists: typed readers for each stored setting, so routers and query modules agree on
 * the key and the schema (with its defaults) of every setting.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { TargetsSchema, type Targets } from '$schemas/kpi';
import { DisplaySettingsSchema, RoiAssumptionsSchema, type DisplaySettings, type RoiAssumptions } from '$schemas/roi';
import { readSetting } from './settings';

export const readTargets = (c: ClickHouseClient): Promise<Targets> => readSetting(c, 'targets', TargetsSchema);
export const readRoiAssumptions = (c: ClickHouseClient): Promise<RoiAssumptions> =>
	readSetting(c, 'roi', RoiAssumptionsSchema);
export const readDisplay = (c: ClickHouseClient): Promise<DisplaySettings> =>
	readSetting(c, 'display', DisplaySettingsSchema);
