set datafile missing 'nan'
set grid
set samples 400
set xtics rotate by 45 right
set xrange [-0.6:4-0.4]
set terminal pngcairo size 1400,750 noenhanced
set output 'lab9b_hot_item-cas-throughput.png'
set ylabel 'goodput, increments/s kept'
unset logscale y
set yrange [0:58722.4]
set lmargin at screen 0.150
set rmargin at screen 0.640
set multiplot title "lab9b_hot_item / cas: goodput, increments/s kept\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.9067
set bmargin at screen 0.3200
set key at screen 0.660, screen 0.9067 left top Left reverse samplen 2
set title ''
set xlabel ''
plot 'lab9b_hot_item-cas.dat' using 0:26:27:28:xtic(1) with yerrorbars lc rgb '#1f77b4' pt 7 ps 1.3 title 'goodput, increments/s kept'
unset multiplot
set terminal svg size 1400,750 noenhanced
set output 'lab9b_hot_item-cas-throughput.svg'
set ylabel 'goodput, increments/s kept'
unset logscale y
set yrange [0:58722.4]
set lmargin at screen 0.150
set rmargin at screen 0.640
set multiplot title "lab9b_hot_item / cas: goodput, increments/s kept\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.9067
set bmargin at screen 0.3200
set key at screen 0.660, screen 0.9067 left top Left reverse samplen 2
set title ''
set xlabel ''
plot 'lab9b_hot_item-cas.dat' using 0:26:27:28:xtic(1) with yerrorbars lc rgb '#1f77b4' pt 7 ps 1.3 title 'goodput, increments/s kept'
unset multiplot
set terminal pngcairo size 1400,750 noenhanced
set output 'lab9b_hot_item-cas-p99.png'
set ylabel 'p99 service time (us)'
unset logscale y
set yrange [0:2396.98]
set lmargin at screen 0.150
set rmargin at screen 0.640
set multiplot title "lab9b_hot_item / cas: p99 service time (us)\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.9067
set bmargin at screen 0.3200
set key at screen 0.660, screen 0.9067 left top Left reverse samplen 2
set title ''
set xlabel ''
plot 'lab9b_hot_item-cas.dat' using 0:5:6:7:xtic(1) with yerrorbars lc rgb '#1f77b4' pt 7 ps 1.3 title 'p99 service time'
unset multiplot
set terminal svg size 1400,750 noenhanced
set output 'lab9b_hot_item-cas-p99.svg'
set ylabel 'p99 service time (us)'
unset logscale y
set yrange [0:2396.98]
set lmargin at screen 0.150
set rmargin at screen 0.640
set multiplot title "lab9b_hot_item / cas: p99 service time (us)\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.9067
set bmargin at screen 0.3200
set key at screen 0.660, screen 0.9067 left top Left reverse samplen 2
set title ''
set xlabel ''
plot 'lab9b_hot_item-cas.dat' using 0:5:6:7:xtic(1) with yerrorbars lc rgb '#1f77b4' pt 7 ps 1.3 title 'p99 service time'
unset multiplot
set terminal pngcairo size 1400,750 noenhanced
set output 'lab9b_hot_item-cas-retries.png'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:2034.87]
set lmargin at screen 0.150
set rmargin at screen 0.640
set multiplot title "lab9b_hot_item / cas: retries per 1,000 operations\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.9067
set bmargin at screen 0.3200
set key at screen 0.660, screen 0.9067 left top Left reverse samplen 2
set title ''
set xlabel ''
plot 'lab9b_hot_item-cas.dat' using 0:8:9:10:xtic(1) with yerrorbars lc rgb '#1f77b4' pt 7 ps 1.3 title 'retries per 1,000 operations'
unset multiplot
set terminal svg size 1400,750 noenhanced
set output 'lab9b_hot_item-cas-retries.svg'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:2034.87]
set lmargin at screen 0.150
set rmargin at screen 0.640
set multiplot title "lab9b_hot_item / cas: retries per 1,000 operations\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.9067
set bmargin at screen 0.3200
set key at screen 0.660, screen 0.9067 left top Left reverse samplen 2
set title ''
set xlabel ''
plot 'lab9b_hot_item-cas.dat' using 0:8:9:10:xtic(1) with yerrorbars lc rgb '#1f77b4' pt 7 ps 1.3 title 'retries per 1,000 operations'
unset multiplot
