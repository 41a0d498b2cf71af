// Loaded with `node --import` into the `hcpgen generate` child the bench starts: when that process exits, its
// resource usage goes to the file named by HCPGEN_BENCH_RUSAGE. maxRSS is the peak of the whole process, worker
// threads included (they share it), so it is the generator's own peak, free of the bench's memory.
import { writeFileSync } from 'node:fs';

const file = process.env.HCPGEN_BENCH_RUSAGE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(
      file,
      JSON.stringify({ maxRssKiB: u.maxRSS, userMicros: u.userCPUTime, systemMicros: u.systemCPUTime }),
    );
  });
}
