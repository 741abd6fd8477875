import type { CertificationState } from '../../shared/certification-rules.ts';
import type { Role } from '../../shared/schemas/admin.ts';

export interface Me {
  user: { id: number; role: Role; displayName: string };
  sessionExpiresAt: number;
  /** When the session began: fixed for its life, so it names the session. */
  sessionStartedAt: number;
  retiree?: { id: number; name: string; idNumber: string; communityName: string } | null;
  retirees?: { id: number; name: string; idNumber: string; relation: string }[];
  communities?: { id: number; name: string }[];
  region?: { code: string; name: string } | null;
}

export interface StatusResponse {
  today: string;
  status: CertificationState;
  officePhone: string | null;
}
