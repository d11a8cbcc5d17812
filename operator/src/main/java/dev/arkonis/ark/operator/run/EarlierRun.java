package dev.arkonis.ark.operator.run;

import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.flow.RunRecord;

/** The run a new run resumes from (spec.resumeFrom), and its steps as its status recorded them, outputs whole. */
record EarlierRun(ArkRun run, RunRecord record) {
}
