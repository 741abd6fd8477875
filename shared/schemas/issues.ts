import * as v from 'valibot';

export interface FieldIssue {
  path: string;
  message: string;
}

/** Valibot issues flattened to `path: message` pairs, the shape used in API error details and CLI output. */
export function fieldIssues(issues: readonly v.BaseIssue<unknown>[]): FieldIssue[] {
  return issues.map((issue) => ({
    path: v.getDotPath(issue) ?? '',
    message: issue.message,
  }));
}
