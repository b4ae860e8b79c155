-- Prints, after wrk's own report, how many requests were answered within the timeout and the latency
-- percentiles from 99.00 to 100.00 in steps of 0.01 (microseconds), so that connections.mjs can place the
-- requests wrk leaves out of its percentiles (timeouts, connections never accepted) in the tail.
done = function(summary, latency, requests)
  io.write(string.format("tail answered %d\n", summary.requests - summary.errors.timeout))
  local values = {}
  for i = 0, 100 do
    values[#values + 1] = string.format("%d", latency:percentile(99 + i / 100))
  end
  io.write("tail percentiles " .. table.concat(values, " ") .. "\n")
end
