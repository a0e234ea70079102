-- Prints exact latency percentiles (wrk --latency has no p95) for bench.run to read.
done = function(summary, latency, requests)
  for _, p in ipairs({50, 95, 99}) do
    io.write(string.format("BENCH_P%d_US %d\n", p, latency:percentile(p)))
  end
end
