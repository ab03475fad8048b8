// What the user has selected (UI state only; the kernel never sees it).
export class Selection {
  pid = $state<number | undefined>(undefined);
}
