set datafile missing 'nan'
set grid
set samples 400
unset logscale x
set xrange [1.700000:8.300000]
set xtics (2, 4, 8)
set terminal pngcairo size 1400,585 noenhanced
set output 'lab1_race_conditions-naive-throughput.png'
set ylabel "goodput, increments/s kept\nlog scale"
set logscale y
set yrange [142.975:4.59847e+08]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab1_race_conditions / naive: goodput, increments/s kept\none run a point: repeat runs for their spread; dotted: increments acknowledged, the gap was lost"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'workers'
set label '48% lost' at first 2, first 1.13041e+08 center tc rgb '#1f77b4' front offset 0,1
set label '60% lost' at first 4, first 8.02324e+07 center tc rgb '#1f77b4' front offset 0,-1
set label '80% lost' at first 8, first 2.66637e+07 center tc rgb '#1f77b4' front offset 0,-1
set label '40% lost' at first 2, first 12373.9 center tc rgb '#d62728' front offset 0,-1
set label '62% lost' at first 4, first 21515.7 center tc rgb '#d62728' front offset 0,-1
set label '79% lost' at first 8, first 9068.93 center tc rgb '#d62728' front offset 0,-1
set label '50% lost' at first 2, first 1896.46 center tc rgb '#2ca02c' front offset 0,-1
set label '74% lost' at first 4, first 817.298 center tc rgb '#2ca02c' front offset 0,-1
set label '88% lost' at first 8, first 228.761 center tc rgb '#2ca02c' front offset 0,-1
set label '37% lost' at first 2, first 10419.2 center tc rgb '#9467bd' front offset 0,1
set label '62% lost' at first 4, first 19554.6 center tc rgb '#9467bd' front offset 0,1
set label '80% lost' at first 8, first 7619.03 center tc rgb '#9467bd' front offset 0,1
set label '48% lost' at first 2, first 1.23947e+08 center tc rgb '#8c564b' front offset 0,-1
set label '65% lost' at first 4, first 7.55537e+07 center tc rgb '#8c564b' front offset 0,1
set label '83% lost' at first 8, first 1.28213e+07 center tc rgb '#8c564b' front offset 0,-1
set label '4.2% lost' at first 2, first 63844.8 center tc rgb '#e377c2' front offset 0,-1
set label '72% lost' at first 4, first 11100.6 center tc rgb '#e377c2' front offset 0,-1
set label '86% lost' at first 8, first 2653.26 center tc rgb '#e377c2' front offset 0,-1
plot 'lab1_race_conditions-naive.dat' index 0 using 1:26:27:28 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc', 'lab1_race_conditions-naive.dat' index 0 using 1:2 with linespoints lc rgb '#1f77b4' lw 1 dt 3 pt 6 title 'inproc: acknowledged', 'lab1_race_conditions-naive.dat' index 1 using 1:26:27:28 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'manager', 'lab1_race_conditions-naive.dat' index 1 using 1:2 with linespoints lc rgb '#d62728' lw 1 dt 3 pt 6 title 'manager: acknowledged', 'lab1_race_conditions-naive.dat' index 2 using 1:26:27:28 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'postgres', 'lab1_race_conditions-naive.dat' index 2 using 1:2 with linespoints lc rgb '#2ca02c' lw 1 dt 3 pt 6 title 'postgres: acknowledged', 'lab1_race_conditions-naive.dat' index 3 using 1:26:27:28 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'redis', 'lab1_race_conditions-naive.dat' index 3 using 1:2 with linespoints lc rgb '#9467bd' lw 1 dt 3 pt 6 title 'redis: acknowledged', 'lab1_race_conditions-naive.dat' index 4 using 1:26:27:28 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'shm', 'lab1_race_conditions-naive.dat' index 4 using 1:2 with linespoints lc rgb '#8c564b' lw 1 dt 3 pt 6 title 'shm: acknowledged', 'lab1_race_conditions-naive.dat' index 5 using 1:26:27:28 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'sqlite', 'lab1_race_conditions-naive.dat' index 5 using 1:2 with linespoints lc rgb '#e377c2' lw 1 dt 3 pt 6 title 'sqlite: acknowledged'
unset multiplot
set terminal svg size 1400,585 noenhanced
set output 'lab1_race_conditions-naive-throughput.svg'
set ylabel "goodput, increments/s kept\nlog scale"
set logscale y
set yrange [142.975:4.59847e+08]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab1_race_conditions / naive: goodput, increments/s kept\none run a point: repeat runs for their spread; dotted: increments acknowledged, the gap was lost"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'workers'
set label '48% lost' at first 2, first 1.13041e+08 center tc rgb '#1f77b4' front offset 0,1
set label '60% lost' at first 4, first 8.02324e+07 center tc rgb '#1f77b4' front offset 0,-1
set label '80% lost' at first 8, first 2.66637e+07 center tc rgb '#1f77b4' front offset 0,-1
set label '40% lost' at first 2, first 12373.9 center tc rgb '#d62728' front offset 0,-1
set label '62% lost' at first 4, first 21515.7 center tc rgb '#d62728' front offset 0,-1
set label '79% lost' at first 8, first 9068.93 center tc rgb '#d62728' front offset 0,-1
set label '50% lost' at first 2, first 1896.46 center tc rgb '#2ca02c' front offset 0,-1
set label '74% lost' at first 4, first 817.298 center tc rgb '#2ca02c' front offset 0,-1
set label '88% lost' at first 8, first 228.761 center tc rgb '#2ca02c' front offset 0,-1
set label '37% lost' at first 2, first 10419.2 center tc rgb '#9467bd' front offset 0,1
set label '62% lost' at first 4, first 19554.6 center tc rgb '#9467bd' front offset 0,1
set label '80% lost' at first 8, first 7619.03 center tc rgb '#9467bd' front offset 0,1
set label '48% lost' at first 2, first 1.23947e+08 center tc rgb '#8c564b' front offset 0,-1
set label '65% lost' at first 4, first 7.55537e+07 center tc rgb '#8c564b' front offset 0,1
set label '83% lost' at first 8, first 1.28213e+07 center tc rgb '#8c564b' front offset 0,-1
set label '4.2% lost' at first 2, first 63844.8 center tc rgb '#e377c2' front offset 0,-1
set label '72% lost' at first 4, first 11100.6 center tc rgb '#e377c2' front offset 0,-1
set label '86% lost' at first 8, first 2653.26 center tc rgb '#e377c2' front offset 0,-1
plot 'lab1_race_conditions-naive.dat' index 0 using 1:26:27:28 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc', 'lab1_race_conditions-naive.dat' index 0 using 1:2 with linespoints lc rgb '#1f77b4' lw 1 dt 3 pt 6 title 'inproc: acknowledged', 'lab1_race_conditions-naive.dat' index 1 using 1:26:27:28 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'manager', 'lab1_race_conditions-naive.dat' index 1 using 1:2 with linespoints lc rgb '#d62728' lw 1 dt 3 pt 6 title 'manager: acknowledged', 'lab1_race_conditions-naive.dat' index 2 using 1:26:27:28 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'postgres', 'lab1_race_conditions-naive.dat' index 2 using 1:2 with linespoints lc rgb '#2ca02c' lw 1 dt 3 pt 6 title 'postgres: acknowledged', 'lab1_race_conditions-naive.dat' index 3 using 1:26:27:28 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'redis', 'lab1_race_conditions-naive.dat' index 3 using 1:2 with linespoints lc rgb '#9467bd' lw 1 dt 3 pt 6 title 'redis: acknowledged', 'lab1_race_conditions-naive.dat' index 4 using 1:26:27:28 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'shm', 'lab1_race_conditions-naive.dat' index 4 using 1:2 with linespoints lc rgb '#8c564b' lw 1 dt 3 pt 6 title 'shm: acknowledged', 'lab1_race_conditions-naive.dat' index 5 using 1:26:27:28 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'sqlite', 'lab1_race_conditions-naive.dat' index 5 using 1:2 with linespoints lc rgb '#e377c2' lw 1 dt 3 pt 6 title 'sqlite: acknowledged'
unset multiplot
set terminal pngcairo size 1400,585 noenhanced
set output 'lab1_race_conditions-naive-p99.png'
set ylabel "p99 service time (us)\nlog scale"
set logscale y
set yrange [0.05375:16252.9]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab1_race_conditions / naive: p99 service time (us)\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'workers'
plot 'lab1_race_conditions-naive.dat' index 0 using 1:5:6:7 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc', 'lab1_race_conditions-naive.dat' index 1 using 1:5:6:7 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'manager', 'lab1_race_conditions-naive.dat' index 2 using 1:5:6:7 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'postgres', 'lab1_race_conditions-naive.dat' index 3 using 1:5:6:7 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'redis', 'lab1_race_conditions-naive.dat' index 4 using 1:5:6:7 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'shm', 'lab1_race_conditions-naive.dat' index 5 using 1:5:6:7 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'sqlite'
unset multiplot
set terminal svg size 1400,585 noenhanced
set output 'lab1_race_conditions-naive-p99.svg'
set ylabel "p99 service time (us)\nlog scale"
set logscale y
set yrange [0.05375:16252.9]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab1_race_conditions / naive: p99 service time (us)\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'workers'
plot 'lab1_race_conditions-naive.dat' index 0 using 1:5:6:7 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc', 'lab1_race_conditions-naive.dat' index 1 using 1:5:6:7 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'manager', 'lab1_race_conditions-naive.dat' index 2 using 1:5:6:7 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'postgres', 'lab1_race_conditions-naive.dat' index 3 using 1:5:6:7 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'redis', 'lab1_race_conditions-naive.dat' index 4 using 1:5:6:7 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'shm', 'lab1_race_conditions-naive.dat' index 5 using 1:5:6:7 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'sqlite'
unset multiplot
set terminal pngcairo size 1400,585 noenhanced
set output 'lab1_race_conditions-naive-retries.png'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:276.543]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab1_race_conditions / naive: retries per 1,000 operations\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'workers'
plot 'lab1_race_conditions-naive.dat' index 0 using 1:8:9:10 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc', 'lab1_race_conditions-naive.dat' index 1 using 1:8:9:10 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'manager', 'lab1_race_conditions-naive.dat' index 2 using 1:8:9:10 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'postgres', 'lab1_race_conditions-naive.dat' index 3 using 1:8:9:10 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'redis', 'lab1_race_conditions-naive.dat' index 4 using 1:8:9:10 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'shm', 'lab1_race_conditions-naive.dat' index 5 using 1:8:9:10 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'sqlite'
unset multiplot
set terminal svg size 1400,585 noenhanced
set output 'lab1_race_conditions-naive-retries.svg'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:276.543]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab1_race_conditions / naive: retries per 1,000 operations\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'workers'
plot 'lab1_race_conditions-naive.dat' index 0 using 1:8:9:10 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc', 'lab1_race_conditions-naive.dat' index 1 using 1:8:9:10 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'manager', 'lab1_race_conditions-naive.dat' index 2 using 1:8:9:10 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'postgres', 'lab1_race_conditions-naive.dat' index 3 using 1:8:9:10 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'redis', 'lab1_race_conditions-naive.dat' index 4 using 1:8:9:10 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'shm', 'lab1_race_conditions-naive.dat' index 5 using 1:8:9:10 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'sqlite'
unset multiplot
