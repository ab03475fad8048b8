// A spec with rules and an invariant that break (crash-restart: the fragile worker fails, the flaky one restarts).
import { exampleText } from './kernel';

export const RULED = `${exampleText('crash-restart.yaml').trimEnd()}
invariants:
  - { name: flaky-ok, always: agents.flaky.failed == 0 }
rules:
  - { name: fragile-alive, always: agents.fragile.failed == 0, severity: critical, text: the fragile worker never fails }
  - { name: few-restarts, always: agents.flaky.restarts < 2, severity: warning, text: the flaky worker restarts at most once }
  - { name: always-true, always: tick >= 0, text: time never runs backwards }
`;
