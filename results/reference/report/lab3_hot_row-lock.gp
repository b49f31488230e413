set datafile missing 'nan'
set grid
set samples 400
set logscale x 2
set xrange [0.714286:11.200000]
set xtics (1, 2, 4, 8)
set terminal pngcairo size 1715,925 noenhanced
set output 'lab3_hot_row-lock-throughput.png'
set ylabel "goodput, increments/s kept\nlog scale"
set logscale y
set yrange [880.706:1.02997e+08]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab3_hot_row / lock: goodput, increments/s kept\none run a point: repeat runs for their spread; thin dashed: USL fit; the panels share their axes"
unset arrow
unset label
set tmargin at screen 0.8973
set bmargin at screen 0.5514
set key at screen 0.660, screen 0.8973 left top Left reverse samplen 2
set title 'inproc, postgres'
set xlabel ''
plot 'lab3_hot_row-lock.dat' index 0 using 1:26:27:28 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc hold=0us keys=1', 4.75102e+07*x/(1+1*(x-1)+1.68806*x*(x-1)) with lines lc rgb '#1f77b4' lw 1 dt 2 title 'fit: inproc hold=0us keys=1', 'lab3_hot_row-lock.dat' index 1 using 1:26:27:28 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'inproc hold=0us keys=1024', 4.6227e+07*x/(1+0.455671*(x-1)+0.0349881*x*(x-1)) with lines lc rgb '#d62728' lw 1 dt 2 title 'fit: inproc hold=0us keys=1024', 'lab3_hot_row-lock.dat' index 2 using 1:26:27:28 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'inproc hold=100us keys=1', 9593.79*x/(1+1*(x-1)+0*x*(x-1)) with lines lc rgb '#2ca02c' lw 1 dt 2 title 'fit: inproc hold=100us keys=1', 'lab3_hot_row-lock.dat' index 3 using 1:26:27:28 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'inproc hold=100us keys=1024', 11367.2*x/(1+0.21*(x-1)+0.0412482*x*(x-1)) with lines lc rgb '#9467bd' lw 1 dt 2 title 'fit: inproc hold=100us keys=1024', 'lab3_hot_row-lock.dat' index 4 using 1:26:27:28 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'postgres hold=0us keys=1', 4305.88*x/(1+0*(x-1)+0.135115*x*(x-1)) with lines lc rgb '#8c564b' lw 1 dt 2 title 'fit: postgres hold=0us keys=1', 'lab3_hot_row-lock.dat' index 5 using 1:26:27:28 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'postgres hold=0us keys=1024', 6533.19*x/(1+0*(x-1)+0.0280111*x*(x-1)) with lines lc rgb '#e377c2' lw 1 dt 2 title 'fit: postgres hold=0us keys=1024', 'lab3_hot_row-lock.dat' index 6 using 1:26:27:28 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'postgres hold=100us keys=1', 2240.42*x/(1+0.29876*(x-1)+0.0477772*x*(x-1)) with lines lc rgb '#404040' lw 1 dt 2 title 'fit: postgres hold=100us keys=1', 'lab3_hot_row-lock.dat' index 7 using 1:26:27:28 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'postgres hold=100us keys=1024', 4709.92*x/(1+0.157733*(x-1)+0.0387209*x*(x-1)) with lines lc rgb '#ff7f0e' lw 1 dt 2 title 'fit: postgres hold=100us keys=1024'
unset arrow
unset label
set tmargin at screen 0.4270
set bmargin at screen 0.0811
set key at screen 0.660, screen 0.4270 left top Left reverse samplen 2
set title 'sqlite'
set xlabel 'workers, log scale'
plot 'lab3_hot_row-lock.dat' index 8 using 1:26:27:28 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'sqlite hold=0us keys=1 [journal_mode=delete]', 1992.93*x/(1+0.962786*(x-1)+0.0270245*x*(x-1)) with lines lc rgb '#1f77b4' lw 1 dt 2 title 'fit: sqlite hold=0us keys=1 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 9 using 1:26:27:28 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'sqlite hold=0us keys=1 [journal_mode=wal]', 99891.4*x/(1+1*(x-1)+0.082124*x*(x-1)) with lines lc rgb '#d62728' lw 1 dt 2 title 'fit: sqlite hold=0us keys=1 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 10 using 1:26:27:28 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'sqlite hold=0us keys=1024 [journal_mode=delete]', 2027.76*x/(1+0.931971*(x-1)+0.0448805*x*(x-1)) with lines lc rgb '#2ca02c' lw 1 dt 2 title 'fit: sqlite hold=0us keys=1024 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 11 using 1:26:27:28 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'sqlite hold=0us keys=1024 [journal_mode=wal]', 100067*x/(1+1*(x-1)+0.136063*x*(x-1)) with lines lc rgb '#9467bd' lw 1 dt 2 title 'fit: sqlite hold=0us keys=1024 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 12 using 1:26:27:28 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'sqlite hold=100us keys=1 [journal_mode=delete]', 1547.35*x/(1+0.990109*(x-1)+0.0141475*x*(x-1)) with lines lc rgb '#8c564b' lw 1 dt 2 title 'fit: sqlite hold=100us keys=1 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 13 using 1:26:27:28 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'sqlite hold=100us keys=1 [journal_mode=wal]', 8503.62*x/(1+1*(x-1)+0*x*(x-1)) with lines lc rgb '#e377c2' lw 1 dt 2 title 'fit: sqlite hold=100us keys=1 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 14 using 1:26:27:28 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'sqlite hold=100us keys=1024 [journal_mode=delete]', 1594.6*x/(1+1*(x-1)+0.00634637*x*(x-1)) with lines lc rgb '#404040' lw 1 dt 2 title 'fit: sqlite hold=100us keys=1024 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 15 using 1:26:27:28 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'sqlite hold=100us keys=1024 [journal_mode=wal]', 8272.6*x/(1+1*(x-1)+0.016088*x*(x-1)) with lines lc rgb '#ff7f0e' lw 1 dt 2 title 'fit: sqlite hold=100us keys=1024 [journal_mode=wal]'
unset multiplot
set terminal svg size 1715,925 noenhanced
set output 'lab3_hot_row-lock-throughput.svg'
set ylabel "goodput, increments/s kept\nlog scale"
set logscale y
set yrange [880.706:1.02997e+08]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab3_hot_row / lock: goodput, increments/s kept\none run a point: repeat runs for their spread; thin dashed: USL fit; the panels share their axes"
unset arrow
unset label
set tmargin at screen 0.8973
set bmargin at screen 0.5514
set key at screen 0.660, screen 0.8973 left top Left reverse samplen 2
set title 'inproc, postgres'
set xlabel ''
plot 'lab3_hot_row-lock.dat' index 0 using 1:26:27:28 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc hold=0us keys=1', 4.75102e+07*x/(1+1*(x-1)+1.68806*x*(x-1)) with lines lc rgb '#1f77b4' lw 1 dt 2 title 'fit: inproc hold=0us keys=1', 'lab3_hot_row-lock.dat' index 1 using 1:26:27:28 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'inproc hold=0us keys=1024', 4.6227e+07*x/(1+0.455671*(x-1)+0.0349881*x*(x-1)) with lines lc rgb '#d62728' lw 1 dt 2 title 'fit: inproc hold=0us keys=1024', 'lab3_hot_row-lock.dat' index 2 using 1:26:27:28 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'inproc hold=100us keys=1', 9593.79*x/(1+1*(x-1)+0*x*(x-1)) with lines lc rgb '#2ca02c' lw 1 dt 2 title 'fit: inproc hold=100us keys=1', 'lab3_hot_row-lock.dat' index 3 using 1:26:27:28 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'inproc hold=100us keys=1024', 11367.2*x/(1+0.21*(x-1)+0.0412482*x*(x-1)) with lines lc rgb '#9467bd' lw 1 dt 2 title 'fit: inproc hold=100us keys=1024', 'lab3_hot_row-lock.dat' index 4 using 1:26:27:28 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'postgres hold=0us keys=1', 4305.88*x/(1+0*(x-1)+0.135115*x*(x-1)) with lines lc rgb '#8c564b' lw 1 dt 2 title 'fit: postgres hold=0us keys=1', 'lab3_hot_row-lock.dat' index 5 using 1:26:27:28 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'postgres hold=0us keys=1024', 6533.19*x/(1+0*(x-1)+0.0280111*x*(x-1)) with lines lc rgb '#e377c2' lw 1 dt 2 title 'fit: postgres hold=0us keys=1024', 'lab3_hot_row-lock.dat' index 6 using 1:26:27:28 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'postgres hold=100us keys=1', 2240.42*x/(1+0.29876*(x-1)+0.0477772*x*(x-1)) with lines lc rgb '#404040' lw 1 dt 2 title 'fit: postgres hold=100us keys=1', 'lab3_hot_row-lock.dat' index 7 using 1:26:27:28 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'postgres hold=100us keys=1024', 4709.92*x/(1+0.157733*(x-1)+0.0387209*x*(x-1)) with lines lc rgb '#ff7f0e' lw 1 dt 2 title 'fit: postgres hold=100us keys=1024'
unset arrow
unset label
set tmargin at screen 0.4270
set bmargin at screen 0.0811
set key at screen 0.660, screen 0.4270 left top Left reverse samplen 2
set title 'sqlite'
set xlabel 'workers, log scale'
plot 'lab3_hot_row-lock.dat' index 8 using 1:26:27:28 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'sqlite hold=0us keys=1 [journal_mode=delete]', 1992.93*x/(1+0.962786*(x-1)+0.0270245*x*(x-1)) with lines lc rgb '#1f77b4' lw 1 dt 2 title 'fit: sqlite hold=0us keys=1 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 9 using 1:26:27:28 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'sqlite hold=0us keys=1 [journal_mode=wal]', 99891.4*x/(1+1*(x-1)+0.082124*x*(x-1)) with lines lc rgb '#d62728' lw 1 dt 2 title 'fit: sqlite hold=0us keys=1 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 10 using 1:26:27:28 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'sqlite hold=0us keys=1024 [journal_mode=delete]', 2027.76*x/(1+0.931971*(x-1)+0.0448805*x*(x-1)) with lines lc rgb '#2ca02c' lw 1 dt 2 title 'fit: sqlite hold=0us keys=1024 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 11 using 1:26:27:28 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'sqlite hold=0us keys=1024 [journal_mode=wal]', 100067*x/(1+1*(x-1)+0.136063*x*(x-1)) with lines lc rgb '#9467bd' lw 1 dt 2 title 'fit: sqlite hold=0us keys=1024 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 12 using 1:26:27:28 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'sqlite hold=100us keys=1 [journal_mode=delete]', 1547.35*x/(1+0.990109*(x-1)+0.0141475*x*(x-1)) with lines lc rgb '#8c564b' lw 1 dt 2 title 'fit: sqlite hold=100us keys=1 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 13 using 1:26:27:28 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'sqlite hold=100us keys=1 [journal_mode=wal]', 8503.62*x/(1+1*(x-1)+0*x*(x-1)) with lines lc rgb '#e377c2' lw 1 dt 2 title 'fit: sqlite hold=100us keys=1 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 14 using 1:26:27:28 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'sqlite hold=100us keys=1024 [journal_mode=delete]', 1594.6*x/(1+1*(x-1)+0.00634637*x*(x-1)) with lines lc rgb '#404040' lw 1 dt 2 title 'fit: sqlite hold=100us keys=1024 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 15 using 1:26:27:28 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'sqlite hold=100us keys=1024 [journal_mode=wal]', 8272.6*x/(1+1*(x-1)+0.016088*x*(x-1)) with lines lc rgb '#ff7f0e' lw 1 dt 2 title 'fit: sqlite hold=100us keys=1024 [journal_mode=wal]'
unset multiplot
set terminal pngcairo size 1576,925 noenhanced
set output 'lab3_hot_row-lock-p99.png'
set ylabel "p99 service time (us)\nlog scale"
set logscale y
set yrange [0.0375:307023]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab3_hot_row / lock: p99 service time (us)\none run a point: repeat runs for their spread; the panels share their axes"
unset arrow
unset label
set tmargin at screen 0.8973
set bmargin at screen 0.5514
set key at screen 0.660, screen 0.8973 left top Left reverse samplen 2
set title 'inproc, postgres'
set xlabel ''
plot 'lab3_hot_row-lock.dat' index 0 using 1:5:6:7 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc hold=0us keys=1', 'lab3_hot_row-lock.dat' index 1 using 1:5:6:7 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'inproc hold=0us keys=1024', 'lab3_hot_row-lock.dat' index 2 using 1:5:6:7 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'inproc hold=100us keys=1', 'lab3_hot_row-lock.dat' index 3 using 1:5:6:7 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'inproc hold=100us keys=1024', 'lab3_hot_row-lock.dat' index 4 using 1:5:6:7 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'postgres hold=0us keys=1', 'lab3_hot_row-lock.dat' index 5 using 1:5:6:7 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'postgres hold=0us keys=1024', 'lab3_hot_row-lock.dat' index 6 using 1:5:6:7 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'postgres hold=100us keys=1', 'lab3_hot_row-lock.dat' index 7 using 1:5:6:7 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'postgres hold=100us keys=1024'
unset arrow
unset label
set tmargin at screen 0.4270
set bmargin at screen 0.0811
set key at screen 0.660, screen 0.4270 left top Left reverse samplen 2
set title 'sqlite'
set xlabel 'workers, log scale'
plot 'lab3_hot_row-lock.dat' index 8 using 1:5:6:7 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'sqlite hold=0us keys=1 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 9 using 1:5:6:7 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'sqlite hold=0us keys=1 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 10 using 1:5:6:7 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'sqlite hold=0us keys=1024 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 11 using 1:5:6:7 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'sqlite hold=0us keys=1024 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 12 using 1:5:6:7 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'sqlite hold=100us keys=1 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 13 using 1:5:6:7 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'sqlite hold=100us keys=1 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 14 using 1:5:6:7 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'sqlite hold=100us keys=1024 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 15 using 1:5:6:7 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'sqlite hold=100us keys=1024 [journal_mode=wal]'
unset multiplot
set terminal svg size 1576,925 noenhanced
set output 'lab3_hot_row-lock-p99.svg'
set ylabel "p99 service time (us)\nlog scale"
set logscale y
set yrange [0.0375:307023]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab3_hot_row / lock: p99 service time (us)\none run a point: repeat runs for their spread; the panels share their axes"
unset arrow
unset label
set tmargin at screen 0.8973
set bmargin at screen 0.5514
set key at screen 0.660, screen 0.8973 left top Left reverse samplen 2
set title 'inproc, postgres'
set xlabel ''
plot 'lab3_hot_row-lock.dat' index 0 using 1:5:6:7 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc hold=0us keys=1', 'lab3_hot_row-lock.dat' index 1 using 1:5:6:7 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'inproc hold=0us keys=1024', 'lab3_hot_row-lock.dat' index 2 using 1:5:6:7 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'inproc hold=100us keys=1', 'lab3_hot_row-lock.dat' index 3 using 1:5:6:7 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'inproc hold=100us keys=1024', 'lab3_hot_row-lock.dat' index 4 using 1:5:6:7 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'postgres hold=0us keys=1', 'lab3_hot_row-lock.dat' index 5 using 1:5:6:7 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'postgres hold=0us keys=1024', 'lab3_hot_row-lock.dat' index 6 using 1:5:6:7 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'postgres hold=100us keys=1', 'lab3_hot_row-lock.dat' index 7 using 1:5:6:7 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'postgres hold=100us keys=1024'
unset arrow
unset label
set tmargin at screen 0.4270
set bmargin at screen 0.0811
set key at screen 0.660, screen 0.4270 left top Left reverse samplen 2
set title 'sqlite'
set xlabel 'workers, log scale'
plot 'lab3_hot_row-lock.dat' index 8 using 1:5:6:7 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'sqlite hold=0us keys=1 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 9 using 1:5:6:7 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'sqlite hold=0us keys=1 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 10 using 1:5:6:7 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'sqlite hold=0us keys=1024 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 11 using 1:5:6:7 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'sqlite hold=0us keys=1024 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 12 using 1:5:6:7 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'sqlite hold=100us keys=1 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 13 using 1:5:6:7 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'sqlite hold=100us keys=1 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 14 using 1:5:6:7 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'sqlite hold=100us keys=1024 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 15 using 1:5:6:7 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'sqlite hold=100us keys=1024 [journal_mode=wal]'
unset multiplot
set terminal pngcairo size 1576,925 noenhanced
set output 'lab3_hot_row-lock-retries.png'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:6163.47]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab3_hot_row / lock: retries per 1,000 operations\none run a point: repeat runs for their spread; the panels share their axes"
unset arrow
unset label
set tmargin at screen 0.8973
set bmargin at screen 0.5514
set key at screen 0.660, screen 0.8973 left top Left reverse samplen 2
set title 'inproc, postgres'
set xlabel ''
plot 'lab3_hot_row-lock.dat' index 0 using 1:8:9:10 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc hold=0us keys=1', 'lab3_hot_row-lock.dat' index 1 using 1:8:9:10 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'inproc hold=0us keys=1024', 'lab3_hot_row-lock.dat' index 2 using 1:8:9:10 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'inproc hold=100us keys=1', 'lab3_hot_row-lock.dat' index 3 using 1:8:9:10 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'inproc hold=100us keys=1024', 'lab3_hot_row-lock.dat' index 4 using 1:8:9:10 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'postgres hold=0us keys=1', 'lab3_hot_row-lock.dat' index 5 using 1:8:9:10 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'postgres hold=0us keys=1024', 'lab3_hot_row-lock.dat' index 6 using 1:8:9:10 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'postgres hold=100us keys=1', 'lab3_hot_row-lock.dat' index 7 using 1:8:9:10 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'postgres hold=100us keys=1024'
unset arrow
unset label
set tmargin at screen 0.4270
set bmargin at screen 0.0811
set key at screen 0.660, screen 0.4270 left top Left reverse samplen 2
set title 'sqlite'
set xlabel 'workers, log scale'
plot 'lab3_hot_row-lock.dat' index 8 using 1:8:9:10 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'sqlite hold=0us keys=1 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 9 using 1:8:9:10 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'sqlite hold=0us keys=1 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 10 using 1:8:9:10 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'sqlite hold=0us keys=1024 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 11 using 1:8:9:10 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'sqlite hold=0us keys=1024 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 12 using 1:8:9:10 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'sqlite hold=100us keys=1 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 13 using 1:8:9:10 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'sqlite hold=100us keys=1 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 14 using 1:8:9:10 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'sqlite hold=100us keys=1024 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 15 using 1:8:9:10 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'sqlite hold=100us keys=1024 [journal_mode=wal]'
unset multiplot
set terminal svg size 1576,925 noenhanced
set output 'lab3_hot_row-lock-retries.svg'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:6163.47]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab3_hot_row / lock: retries per 1,000 operations\none run a point: repeat runs for their spread; the panels share their axes"
unset arrow
unset label
set tmargin at screen 0.8973
set bmargin at screen 0.5514
set key at screen 0.660, screen 0.8973 left top Left reverse samplen 2
set title 'inproc, postgres'
set xlabel ''
plot 'lab3_hot_row-lock.dat' index 0 using 1:8:9:10 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc hold=0us keys=1', 'lab3_hot_row-lock.dat' index 1 using 1:8:9:10 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'inproc hold=0us keys=1024', 'lab3_hot_row-lock.dat' index 2 using 1:8:9:10 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'inproc hold=100us keys=1', 'lab3_hot_row-lock.dat' index 3 using 1:8:9:10 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'inproc hold=100us keys=1024', 'lab3_hot_row-lock.dat' index 4 using 1:8:9:10 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'postgres hold=0us keys=1', 'lab3_hot_row-lock.dat' index 5 using 1:8:9:10 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'postgres hold=0us keys=1024', 'lab3_hot_row-lock.dat' index 6 using 1:8:9:10 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'postgres hold=100us keys=1', 'lab3_hot_row-lock.dat' index 7 using 1:8:9:10 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'postgres hold=100us keys=1024'
unset arrow
unset label
set tmargin at screen 0.4270
set bmargin at screen 0.0811
set key at screen 0.660, screen 0.4270 left top Left reverse samplen 2
set title 'sqlite'
set xlabel 'workers, log scale'
plot 'lab3_hot_row-lock.dat' index 8 using 1:8:9:10 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'sqlite hold=0us keys=1 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 9 using 1:8:9:10 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'sqlite hold=0us keys=1 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 10 using 1:8:9:10 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'sqlite hold=0us keys=1024 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 11 using 1:8:9:10 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'sqlite hold=0us keys=1024 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 12 using 1:8:9:10 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'sqlite hold=100us keys=1 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 13 using 1:8:9:10 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'sqlite hold=100us keys=1 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 14 using 1:8:9:10 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'sqlite hold=100us keys=1024 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 15 using 1:8:9:10 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'sqlite hold=100us keys=1024 [journal_mode=wal]'
unset multiplot
