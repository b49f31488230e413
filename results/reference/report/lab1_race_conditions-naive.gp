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
set yrange [111.035:4.86648e+08]
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
set label '53% lost' at first 2, first 1.07785e+08 center tc rgb '#1f77b4' front offset 0,1
set label '64% lost' at first 4, first 8.18205e+07 center tc rgb '#1f77b4' front offset 0,-1
set label '77% lost' at first 8, first 3.11977e+07 center tc rgb '#1f77b4' front offset 0,-1
set label '41% lost' at first 2, first 13614.8 center tc rgb '#d62728' front offset 0,-1
set label '63% lost' at first 4, first 23346.6 center tc rgb '#d62728' front offset 0,-1
set label '79% lost' at first 8, first 8985.89 center tc rgb '#d62728' front offset 0,-1
set label '50% lost' at first 2, first 2139.01 center tc rgb '#2ca02c' front offset 0,-1
set label '75% lost' at first 4, first 834.923 center tc rgb '#2ca02c' front offset 0,-1
set label '87% lost' at first 8, first 177.656 center tc rgb '#2ca02c' front offset 0,-1
set label '36% lost' at first 2, first 11724.9 center tc rgb '#9467bd' front offset 0,1
set label '65% lost' at first 4, first 12935.2 center tc rgb '#9467bd' front offset 0,-1
set label '80% lost' at first 8, first 7696.19 center tc rgb '#9467bd' front offset 0,1
set label '49% lost' at first 2, first 1.17938e+08 center tc rgb '#8c564b' front offset 0,-1
set label '68% lost' at first 4, first 5.81072e+07 center tc rgb '#8c564b' front offset 0,1
set label '81% lost' at first 8, first 2.13493e+07 center tc rgb '#8c564b' front offset 0,1
set label '2.9% lost' at first 2, first 74397.4 center tc rgb '#e377c2' front offset 0,-1
set label '69% lost' at first 4, first 13630.5 center tc rgb '#e377c2' front offset 0,1
set label '86% lost' at first 8, first 742.855 center tc rgb '#e377c2' front offset 0,-1
plot 'lab1_race_conditions-naive.dat' index 0 using 1:26:27:28 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc', 'lab1_race_conditions-naive.dat' index 0 using 1:2 with linespoints lc rgb '#1f77b4' lw 1 dt 3 pt 6 title 'inproc: acknowledged', 'lab1_race_conditions-naive.dat' index 1 using 1:26:27:28 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'manager', 'lab1_race_conditions-naive.dat' index 1 using 1:2 with linespoints lc rgb '#d62728' lw 1 dt 3 pt 6 title 'manager: acknowledged', 'lab1_race_conditions-naive.dat' index 2 using 1:26:27:28 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'postgres', 'lab1_race_conditions-naive.dat' index 2 using 1:2 with linespoints lc rgb '#2ca02c' lw 1 dt 3 pt 6 title 'postgres: acknowledged', 'lab1_race_conditions-naive.dat' index 3 using 1:26:27:28 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'redis', 'lab1_race_conditions-naive.dat' index 3 using 1:2 with linespoints lc rgb '#9467bd' lw 1 dt 3 pt 6 title 'redis: acknowledged', 'lab1_race_conditions-naive.dat' index 4 using 1:26:27:28 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'shm', 'lab1_race_conditions-naive.dat' index 4 using 1:2 with linespoints lc rgb '#8c564b' lw 1 dt 3 pt 6 title 'shm: acknowledged', 'lab1_race_conditions-naive.dat' index 5 using 1:26:27:28 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'sqlite', 'lab1_race_conditions-naive.dat' index 5 using 1:2 with linespoints lc rgb '#e377c2' lw 1 dt 3 pt 6 title 'sqlite: acknowledged'
unset multiplot
set terminal svg size 1400,585 noenhanced
set output 'lab1_race_conditions-naive-throughput.svg'
set ylabel "goodput, increments/s kept\nlog scale"
set logscale y
set yrange [111.035:4.86648e+08]
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
set label '53% lost' at first 2, first 1.07785e+08 center tc rgb '#1f77b4' front offset 0,1
set label '64% lost' at first 4, first 8.18205e+07 center tc rgb '#1f77b4' front offset 0,-1
set label '77% lost' at first 8, first 3.11977e+07 center tc rgb '#1f77b4' front offset 0,-1
set label '41% lost' at first 2, first 13614.8 center tc rgb '#d62728' front offset 0,-1
set label '63% lost' at first 4, first 23346.6 center tc rgb '#d62728' front offset 0,-1
set label '79% lost' at first 8, first 8985.89 center tc rgb '#d62728' front offset 0,-1
set label '50% lost' at first 2, first 2139.01 center tc rgb '#2ca02c' front offset 0,-1
set label '75% lost' at first 4, first 834.923 center tc rgb '#2ca02c' front offset 0,-1
set label '87% lost' at first 8, first 177.656 center tc rgb '#2ca02c' front offset 0,-1
set label '36% lost' at first 2, first 11724.9 center tc rgb '#9467bd' front offset 0,1
set label '65% lost' at first 4, first 12935.2 center tc rgb '#9467bd' front offset 0,-1
set label '80% lost' at first 8, first 7696.19 center tc rgb '#9467bd' front offset 0,1
set label '49% lost' at first 2, first 1.17938e+08 center tc rgb '#8c564b' front offset 0,-1
set label '68% lost' at first 4, first 5.81072e+07 center tc rgb '#8c564b' front offset 0,1
set label '81% lost' at first 8, first 2.13493e+07 center tc rgb '#8c564b' front offset 0,1
set label '2.9% lost' at first 2, first 74397.4 center tc rgb '#e377c2' front offset 0,-1
set label '69% lost' at first 4, first 13630.5 center tc rgb '#e377c2' front offset 0,1
set label '86% lost' at first 8, first 742.855 center tc rgb '#e377c2' front offset 0,-1
plot 'lab1_race_conditions-naive.dat' index 0 using 1:26:27:28 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc', 'lab1_race_conditions-naive.dat' index 0 using 1:2 with linespoints lc rgb '#1f77b4' lw 1 dt 3 pt 6 title 'inproc: acknowledged', 'lab1_race_conditions-naive.dat' index 1 using 1:26:27:28 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'manager', 'lab1_race_conditions-naive.dat' index 1 using 1:2 with linespoints lc rgb '#d62728' lw 1 dt 3 pt 6 title 'manager: acknowledged', 'lab1_race_conditions-naive.dat' index 2 using 1:26:27:28 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'postgres', 'lab1_race_conditions-naive.dat' index 2 using 1:2 with linespoints lc rgb '#2ca02c' lw 1 dt 3 pt 6 title 'postgres: acknowledged', 'lab1_race_conditions-naive.dat' index 3 using 1:26:27:28 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'redis', 'lab1_race_conditions-naive.dat' index 3 using 1:2 with linespoints lc rgb '#9467bd' lw 1 dt 3 pt 6 title 'redis: acknowledged', 'lab1_race_conditions-naive.dat' index 4 using 1:26:27:28 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'shm', 'lab1_race_conditions-naive.dat' index 4 using 1:2 with linespoints lc rgb '#8c564b' lw 1 dt 3 pt 6 title 'shm: acknowledged', 'lab1_race_conditions-naive.dat' index 5 using 1:26:27:28 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'sqlite', 'lab1_race_conditions-naive.dat' index 5 using 1:2 with linespoints lc rgb '#e377c2' lw 1 dt 3 pt 6 title 'sqlite: acknowledged'
unset multiplot
set terminal pngcairo size 1400,585 noenhanced
set output 'lab1_race_conditions-naive-p99.png'
set ylabel "p99 service time (us)\nlog scale"
set logscale y
set yrange [0.04625:13946.1]
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
set yrange [0.04625:13946.1]
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
set yrange [0:322.831]
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
set yrange [0:322.831]
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
