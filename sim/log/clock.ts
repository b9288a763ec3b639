/** `HH:MM` of simulated time t (µs) on a day whose t=0 is `clockOrigin` (HH:MM); `+Nd` past midnight. */
export function wallClock(clockOrigin: string, t: number): string {
  const [hours = 0, minutes = 0] = clockOrigin.split(':').map(Number);
  const total = hours * 60 + minutes + Math.floor(t / 60_000_000);
  const day = Math.floor(total / 1440);
  const hh = String(Math.floor((total % 1440) / 60)).padStart(2, '0');
  const mm = String(total % 60).padStart(2, '0');
  return day > 0 ? `+${day}d ${hh}:${mm}` : `${hh}:${mm}`;
}
